using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.IntegrationTests.Calendars.Google;

/// <summary>One request the replay server received.</summary>
internal sealed record ReplayedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string? Authorization);

/// <summary>One scripted answer: a status and a body (a fixture's text, usually).</summary>
internal sealed record ReplayResponse(int Status, string Body)
{
    public static ReplayResponse Fixture(string name, int status = 200) => new(status, GoogleFixtures.Read(name));

    public static ReplayResponse Json(string body, int status = 200) => new(status, body);
}

/// <summary>
/// A Kestrel server on 127.0.0.1 that plays Google: <c>/calendar/v3/calendars/{id}/events</c> and <c>/token</c>
/// answer from queues of scripted responses, in order, and every request is recorded.
/// </summary>
internal sealed class GoogleReplayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<ReplayedRequest, ReplayResponse>> _events = new();
    private readonly ConcurrentQueue<Func<ReplayedRequest, ReplayResponse>> _tokens = new();
    private readonly ConcurrentQueue<ReplayedRequest> _eventRequests = new();
    private readonly ConcurrentQueue<ReplayedRequest> _tokenRequests = new();

    private GoogleReplayServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public string ApiBaseUrl => BaseUrl + "/calendar/v3/";

    public string TokenEndpoint => BaseUrl + "/token";

    public IReadOnlyList<ReplayedRequest> EventRequests => [.. _eventRequests];

    public IReadOnlyList<ReplayedRequest> TokenRequests => [.. _tokenRequests];

    public static async Task<GoogleReplayServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new GoogleReplayServer(app);
        app.MapGet("/calendar/v3/calendars/{calendarId}/events", context => AnswerAsync(context, server._events, server._eventRequests));
        app.MapPost("/token", context => AnswerAsync(context, server._tokens, server._tokenRequests));
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        server.BaseUrl = addresses.Addresses.First().TrimEnd('/');
        return server;
    }

    public GoogleReplayServer Events(ReplayResponse response) => Events(_ => response);

    public GoogleReplayServer Events(Func<ReplayedRequest, ReplayResponse> responder)
    {
        _events.Enqueue(responder);
        return this;
    }

    public GoogleReplayServer Token(ReplayResponse response) => Token(_ => response);

    public GoogleReplayServer Token(Func<ReplayedRequest, ReplayResponse> responder)
    {
        _tokens.Enqueue(responder);
        return this;
    }

    /// <summary>A token endpoint answer with an access token and, when given, a (rotated) refresh token.</summary>
    public static ReplayResponse AccessToken(string accessToken, string? refreshToken = null, string? idToken = null)
    {
        var extra = (refreshToken is null ? "" : $",\"refresh_token\":\"{refreshToken}\"")
            + (idToken is null ? "" : $",\"id_token\":\"{idToken}\"");
        return ReplayResponse.Json($"{{\"access_token\":\"{accessToken}\",\"expires_in\":3599,\"token_type\":\"Bearer\"{extra}}}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task AnswerAsync(
        HttpContext context,
        ConcurrentQueue<Func<ReplayedRequest, ReplayResponse>> script,
        ConcurrentQueue<ReplayedRequest> log)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString())
            : [];
        var request = new ReplayedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Query.ToDictionary(p => p.Key, p => p.Value.ToString()),
            form,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null);
        log.Enqueue(request);

        // An unscripted request is a test failure: answer in a way no client mistakes for data.
        var response = script.TryDequeue(out var next)
            ? next(request)
            : new ReplayResponse(599, $"{{\"error\":\"the replay server has no scripted answer for {request.Path}\"}}");
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(response.Body);
    }
}
