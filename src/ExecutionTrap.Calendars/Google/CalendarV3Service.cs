using Google.Apis.Discovery;
using Google.Apis.Requests;
using Google.Apis.Services;
using Google.Apis.Util;

namespace ExecutionTrap.Calendars.Google;

// The generated Google.Apis.Calendar.v3 package is not available here, so this is the slice of it
// the connector uses, built on the same BaseClientService/ClientServiceRequest machinery.
internal sealed class CalendarV3Service(BaseClientService.Initializer initializer) : BaseClientService(initializer)
{
    public const string DefaultBaseUri = "https://www.googleapis.com/calendar/v3/";

    public override string Name => "calendar";

    public override string BaseUri => GetEffectiveUri(BaseUriOverride, DefaultBaseUri);

    public override string BasePath => "calendar/v3/";

    public override IList<string> Features => [];

    public EventsListRequest ListEvents(string calendarId) => new(this, calendarId);
}

/// <summary><c>events.list</c> as described in the Calendar v3 discovery document.</summary>
internal sealed class EventsListRequest : ClientServiceRequest<EventsPage>
{
    public EventsListRequest(IClientService service, string calendarId)
        : base(service)
    {
        CalendarId = calendarId;
        InitParameters();
    }

    [RequestParameter("calendarId", RequestParameterType.Path)]
    public string CalendarId { get; }

    [RequestParameter("singleEvents", RequestParameterType.Query)]
    public bool? SingleEvents { get; set; }

    [RequestParameter("showDeleted", RequestParameterType.Query)]
    public bool? ShowDeleted { get; set; }

    [RequestParameter("maxResults", RequestParameterType.Query)]
    public int? MaxResults { get; set; }

    /// <summary>RFC 3339 with an offset; never sent together with <see cref="SyncToken"/>.</summary>
    [RequestParameter("timeMin", RequestParameterType.Query)]
    public string? TimeMin { get; set; }

    [RequestParameter("timeMax", RequestParameterType.Query)]
    public string? TimeMax { get; set; }

    [RequestParameter("pageToken", RequestParameterType.Query)]
    public string? PageToken { get; set; }

    [RequestParameter("syncToken", RequestParameterType.Query)]
    public string? SyncToken { get; set; }

    /// <summary>
    /// Sends the request as the SDK's <c>ExecuteAsync</c> does (same message, same configured client) but hands back
    /// the raw answer, whose headers (Retry-After) the parsed result loses.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
    {
        using var request = CreateRequest();
        return await Service.HttpClient.SendAsync(request, cancellationToken);
    }

    /// <summary>The SDK's reading of an answer: the page, or the <see cref="global::Google.GoogleApiException"/> its <c>ExecuteAsync</c> throws.</summary>
    public async Task<EventsPage> ParseAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return await Service.DeserializeResponse<EventsPage>(response);
        }

        var error = await Service.DeserializeError(response);
        throw new global::Google.GoogleApiException(Service.Name, error?.ToString() ?? response.StatusCode.ToString()) { Error = error, HttpStatusCode = response.StatusCode };
    }

    public override string MethodName => "list";

    public override string HttpMethod => "GET";

    public override string RestPath => "calendars/{calendarId}/events";

    protected override void InitParameters()
    {
        base.InitParameters();
        Add("calendarId", "path", isRequired: true);
        Add("singleEvents", "query");
        Add("showDeleted", "query");
        Add("maxResults", "query");
        Add("timeMin", "query");
        Add("timeMax", "query");
        Add("pageToken", "query");
        Add("syncToken", "query");
    }

    private void Add(string name, string location, bool isRequired = false) =>
        RequestParameters.Add(name, new Parameter { Name = name, IsRequired = isRequired, ParameterType = location });
}
