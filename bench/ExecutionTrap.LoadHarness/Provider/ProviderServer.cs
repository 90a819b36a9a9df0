using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.LoadHarness.Provider;

/// <summary>
/// A stand-in for Microsoft on 127.0.0.1: the identity platform's token endpoint (refresh_token grants)
/// and Graph's <c>/v1.0/me/calendarView/delta()</c>, paged as Graph pages it (<c>@odata.nextLink</c>, a final
/// <c>@odata.deltaLink</c>; a delta round with nothing new answers an empty <c>value</c>). The bearer token
/// says whose calendar is read. Every Graph page waits a configurable latency, and a fraction of Graph
/// requests can be answered 429 with <c>Retry-After</c> for a while.
/// </summary>
internal sealed partial class ProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SyntheticCalendar _calendar;
    private readonly int _latencyMinMs;
    private readonly int _latencyMaxMs;
    private readonly int[] _graphRequests;
    private readonly TimeProvider _time = TimeProvider.System;
    private long _tokenRequests;
    private long _throttled;
    private long _faultUntilTicks;
    private double _faultFraction;

    private ProviderServer(WebApplication app, SyntheticCalendar calendar, int latencyMinMs, int latencyMaxMs)
    {
        _app = app;
        _calendar = calendar;
        _latencyMinMs = latencyMinMs;
        _latencyMaxMs = latencyMaxMs;
        _graphRequests = new int[calendar.Leaders];
    }

    public string BaseUrl { get; private set; } = "";

    public string GraphBaseUrl => $"{BaseUrl}/v1.0";

    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    public long Throttled => Interlocked.Read(ref _throttled);

    public static async Task<ProviderServer> StartAsync(SyntheticCalendar calendar, int latencyMinMs, int latencyMaxMs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ProviderServer(app, calendar, latencyMinMs, latencyMaxMs);
        app.MapPost("/{tenant}/oauth2/v2.0/token", server.TokenAsync);
        app.Use((HttpContext context, RequestDelegate next) =>
            context.Request.Path.StartsWithSegments("/v1.0/me/calendarView", StringComparison.OrdinalIgnoreCase)
                ? server.DeltaAsync(context)
                : next(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/');
        return server;
    }

    /// <summary>From now on, for <paramref name="duration"/>, answers 429 to about <paramref name="fraction"/> of Graph requests.</summary>
    public void Throttle(double fraction, TimeSpan duration)
    {
        Volatile.Write(ref _faultFraction, fraction);
        Interlocked.Exchange(ref _faultUntilTicks, (_time.GetUtcNow() + duration).UtcTicks);
    }

    /// <summary>Graph requests per leader since the last reset.</summary>
    public int[] GraphRequestsPerLeader() => (int[])_graphRequests.Clone();

    public void ResetCounters()
    {
        Array.Clear(_graphRequests);
        Interlocked.Exchange(ref _tokenRequests, 0);
        Interlocked.Exchange(ref _throttled, 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task TokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var leader = SyntheticCalendar.LeaderOfRefreshToken(form["refresh_token"]);
        if (form["grant_type"] != "refresh_token" || leader is null || leader >= _calendar.Leaders)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = "AADSTS70000: unknown grant." }, context.RequestAborted);
            return;
        }

        // The same refresh token comes back: no rotation, so a sync round writes no secret.
        await context.Response.WriteAsJsonAsync(
            new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["scope"] = "User.Read Calendars.Read",
                ["expires_in"] = 3600,
                ["access_token"] = _calendar.AccessToken(leader.Value),
                ["refresh_token"] = SyntheticCalendar.RefreshToken(leader.Value),
            },
            context.RequestAborted);
    }

    private async Task DeltaAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var leader = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? _calendar.LeaderOfAccessToken(authorization[7..]) : null;
        if (leader is not { } who)
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "Access token is empty or unknown.");
            return;
        }

        Interlocked.Increment(ref _graphRequests[who]);
        await Task.Delay(Random.Shared.Next(_latencyMinMs, _latencyMaxMs + 1), context.RequestAborted);
        if (_time.GetUtcNow().UtcTicks < Interlocked.Read(ref _faultUntilTicks) && Random.Shared.NextDouble() < Volatile.Read(ref _faultFraction))
        {
            Interlocked.Increment(ref _throttled);
            context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", "Please retry after 1 second.");
            return;
        }

        var query = context.Request.Query;
        var link = $"{GraphBaseUrl}/me/calendarView/delta";
        context.Response.ContentType = "application/json; odata.metadata=minimal";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("@odata.context", $"{GraphBaseUrl}/$metadata#Collection(event)");
        json.WriteStartArray("value");
        if (query.ContainsKey("$deltatoken"))
        {
            // Nothing changed since the last round.
            json.WriteEndArray();
            json.WriteString("@odata.deltaLink", $"{link}?$deltatoken={query["$deltatoken"]}");
        }
        else
        {
            var offset = int.TryParse(query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var skip) ? skip : 0;
            var end = Math.Min(offset + PageSize(context.Request.Headers), _calendar.EventsPerLeader);
            for (var i = offset; i < end; i++)
            {
                _calendar.WriteEvent(json, who, i);
            }

            json.WriteEndArray();
            if (end < _calendar.EventsPerLeader)
            {
                json.WriteString("@odata.nextLink", $"{link}?$skiptoken={end.ToString(CultureInfo.InvariantCulture)}");
            }
            else
            {
                json.WriteString("@odata.deltaLink", $"{link}?$deltatoken=round1");
            }
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static int PageSize(IHeaderDictionary headers)
    {
        foreach (var prefer in headers["Prefer"])
        {
            var match = MaxPageSize().Match(prefer ?? "");
            if (match.Success)
            {
                return Math.Clamp(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), 1, 1000);
            }
        }

        return 10;
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsJsonAsync(
            new Dictionary<string, object> { ["error"] = new Dictionary<string, string> { ["code"] = code, ["message"] = message } },
            context.RequestAborted);
    }

    [GeneratedRegex(@"odata\.maxpagesize=(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex MaxPageSize();
}
