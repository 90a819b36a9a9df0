using System.Runtime.CompilerServices;
using System.Text.Json;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Me.CalendarView.Delta;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using NodaTime;
using NodaTime.Text;
using Polly;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// Reads <c>/me/calendarView/delta</c>: a full read of the window page by page, then delta rounds
/// from the stored link. Every page is one <see cref="CalendarPage"/>, so a killed read resumes.
/// </summary>
internal sealed partial class GraphCalendarSource(
    IHttpClientFactory httpClients,
    IGraphTokenSource tokens,
    IOptions<MicrosoftCalendarOptions> options,
    ILogger<GraphCalendarSource> logger) : ICalendarSource
{
    public const string HttpClientName = "graph";

    private static readonly string[] SyncStateErrors = ["syncStateNotFound", "syncStateInvalid", "resyncRequired"];

    private readonly MicrosoftCalendarOptions _options = options.Value;
    private readonly Uri _graphBase = new(options.Value.GraphBaseUrl.TrimEnd('/') + "/");

    public CalendarProvider Provider => CalendarProvider.Microsoft;

    /// <summary>
    /// A source that sends one access token the caller already has (<c>etrap fetch --access-token</c>),
    /// with the same retry pipeline as the service. Nothing is refreshed or stored.
    /// </summary>
    public static GraphCalendarSource ForAccessToken(
        string accessToken,
        MicrosoftCalendarOptions? options = null,
        ILoggerFactory? loggerFactory = null)
    {
        options ??= new MicrosoftCalendarOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>();
        GraphResilience.Configure(pipeline, options, TimeProvider.System, loggerFactory.CreateLogger<GraphCalendarSource>());
        var handler = new ResilienceHandler(pipeline.Build())
        {
            InnerHandler = new TenantConcurrencyHandler(new TenantRequestLimiter(options.MaxConcurrencyPerTenant))
            {
                InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            },
        };
        return new GraphCalendarSource(
            new SingleHandlerClientFactory(handler),
            new FixedGraphToken(accessToken),
            Options.Create(options),
            loggerFactory.CreateLogger<GraphCalendarSource>());
    }

    public async IAsyncEnumerable<CalendarPage> ReadAsync(
        CalendarReadRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        GraphCursor? cursor = null;
        if (request.Cursor is { } stored && !GraphCursor.TryParse(stored, _graphBase, out cursor, out var problem))
        {
            throw new CalendarSourceException(CalendarErrorKind.CursorExpired, $"A full read is needed: {problem}.");
        }

        var isFullRead = cursor?.IsFullRead ?? true;
        var tokenProvider = new GraphAccessTokenProvider(tokens, request.ConnectionId);
        using var graph = new GraphServiceClient(
            httpClients.CreateClient(HttpClientName),
            new BaseBearerTokenAuthenticationProvider(tokenProvider),
            _options.GraphBaseUrl.TrimEnd('/'));

        // The models we parse are read, never sent back: no change tracking (Kiota keeps the factory process-wide).
        graph.RequestAdapter.EnableBackingStore(ReadOnlyBackingStore.Factory.Instance);

        var link = cursor?.Link;
        var pageNumber = 0;
        while (true)
        {
            var response = await FetchAsync(graph, tokenProvider, request.Window, link, cancellationToken);
            var page = ToPage(response, isFullRead, request.OwnerEmail, out var nextLink);
            LogPage(logger, request.ConnectionId, ++pageNumber, page.Changed.Count, page.Removed.Count, page.IsLastPage);
            yield return page;
            if (page.IsLastPage)
            {
                yield break;
            }

            link = nextLink;
        }
    }

    private async Task<DeltaGetResponse?> FetchAsync(
        GraphServiceClient graph,
        GraphAccessTokenProvider tokenProvider,
        Interval window,
        Uri? link,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return link is null
                    ? await graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(
                        configuration =>
                        {
                            var (start, end) = Bounds(window);
                            configuration.QueryParameters.StartDateTime = start;
                            configuration.QueryParameters.EndDateTime = end;
                            AddPreferences(configuration.Headers);
                        },
                        cancellationToken)
                    // Kiota does not carry headers over to WithUrl requests: add them again every time.
                    : await graph.Me.CalendarView.Delta.WithUrl(link.OriginalString).GetAsDeltaGetResponseAsync(
                        configuration => AddPreferences(configuration.Headers),
                        cancellationToken);
            }
            catch (ApiException ex) when (ex.ResponseStatusCode == 401 && attempt == 1)
            {
                // The cached token may have been revoked early; one fresh token settles it.
                LogUnauthorized(logger);
                tokenProvider.RefreshOnNextRequest();
            }
            catch (ApiException ex)
            {
                throw ToSourceException(ex);
            }
            catch (JsonException ex)
            {
                throw Malformed($"the body is not valid JSON ({ex.Message})", ex);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("Content type", StringComparison.Ordinal))
            {
                // Kiota's words for a body it has no parser for: HTML from a proxy or a login page.
                throw Malformed($"the body is not JSON ({ex.Message})", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new CalendarSourceException(
                    CalendarErrorKind.ProviderUnavailable,
                    $"Microsoft Graph at {_graphBase.Host} could not be reached after {_options.MaxAttempts} attempts.",
                    ex);
            }
        }
    }

    private void AddPreferences(RequestHeaders headers)
    {
        headers.Add("Prefer", $"odata.maxpagesize={_options.PageSize}");
        headers.Add("Prefer", "outlook.timezone=\"UTC\"");
    }

    private static (string Start, string End) Bounds(Interval window)
    {
        if (!window.HasStart || !window.HasEnd)
        {
            throw new CalendarSourceException(
                CalendarErrorKind.BadData,
                "A Microsoft Graph full read needs a window with a start and an end.");
        }

        return (InstantPattern.General.Format(window.Start), InstantPattern.General.Format(window.End));
    }

    private CalendarPage ToPage(DeltaGetResponse? response, bool isFullRead, string? ownerEmail, out Uri? nextLink)
    {
        nextLink = null;
        if (response?.Value is not { } items)
        {
            throw Malformed("the response has no 'value' list");
        }

        var changed = new List<Meeting>(items.Count);
        var removed = new List<string>();
        foreach (var item in items)
        {
            if (item is null)
            {
                continue;
            }

            if (item.AdditionalData.ContainsKey("@removed"))
            {
                if (item.Id is { Length: > 0 } removedId)
                {
                    removed.Add(removedId);
                }

                continue;
            }

            if (GraphEventMapper.ToMeeting(item, ownerEmail) is { } meeting)
            {
                changed.Add(meeting);
            }
        }

        if (response.OdataNextLink is { Length: > 0 } next)
        {
            nextLink = FollowableLink(next, "@odata.nextLink");
            return new CalendarPage(changed, removed, new GraphCursor(isFullRead, nextLink).ToString(), IsLastPage: false, isFullRead);
        }

        if (response.OdataDeltaLink is { Length: > 0 } delta)
        {
            var deltaLink = FollowableLink(delta, "@odata.deltaLink");
            return new CalendarPage(changed, removed, new GraphCursor(IsFullRead: false, deltaLink).ToString(), IsLastPage: true, isFullRead);
        }

        throw Malformed("the response has neither an @odata.nextLink nor an @odata.deltaLink");
    }

    private Uri FollowableLink(string link, string name)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri))
        {
            throw Malformed($"the {name} is not a link");
        }

        // The bearer token goes wherever the link points; only Graph's own host gets it.
        if (!GraphCursor.IsSameOrigin(uri, _graphBase))
        {
            throw Malformed($"the {name} points at {uri.Host}, not {_graphBase.Host}");
        }

        return uri;
    }

    private CalendarSourceException ToSourceException(ApiException ex)
    {
        var status = ex.ResponseStatusCode;
        var code = (ex as ODataError)?.Error?.Code;
        var what = string.IsNullOrEmpty(code) ? $"{status}" : $"{status} {code}";
        if (status == 410 || SyncStateErrors.Contains(code, StringComparer.OrdinalIgnoreCase))
        {
            return new CalendarSourceException(
                CalendarErrorKind.CursorExpired,
                $"Microsoft Graph no longer knows the stored sync state ({what}); a full read is needed.",
                ex)
            { HttpStatus = status };
        }

        var (kind, message) = status switch
        {
            401 => (CalendarErrorKind.NeedsReconnect, $"Microsoft Graph refused the access token ({what}); the leader must connect again."),
            403 => (CalendarErrorKind.Forbidden, $"Microsoft Graph refused to read the calendar ({what})."),
            404 => (CalendarErrorKind.NotFound, $"Microsoft Graph found no calendar for this account ({what})."),
            408 or 429 or >= 500 => (CalendarErrorKind.ProviderUnavailable, $"Microsoft Graph kept answering {what} after {_options.MaxAttempts} attempts."),
            _ => (CalendarErrorKind.Forbidden, $"Microsoft Graph refused the request ({what})."),
        };
        return new CalendarSourceException(kind, message, ex) { HttpStatus = status };
    }

    private static CalendarSourceException Malformed(string problem, Exception? inner = null) =>
        new(CalendarErrorKind.BadData, $"Microsoft Graph returned a malformed page: {problem}.", inner);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Read Microsoft Graph page {Page} of connection {ConnectionId}: {Changed} changed, {Removed} removed, last: {IsLastPage}")]
    private static partial void LogPage(ILogger logger, Guid connectionId, int page, int changed, int removed, bool isLastPage);

    [LoggerMessage(Level = LogLevel.Information, Message = "Microsoft Graph answered 401; retrying once with a freshly refreshed token")]
    private static partial void LogUnauthorized(ILogger logger);

    /// <summary>The CLI's stand-in for <see cref="IHttpClientFactory"/>: one handler chain for the whole run.</summary>
    private sealed class SingleHandlerClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
