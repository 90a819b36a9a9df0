using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>The provider endpoints one replay server plays.</summary>
internal enum ReplayRoute
{
    Graph,
    MicrosoftToken,
    GoogleEvents,
    GoogleToken,
}

/// <summary>One request as the server saw it, with when it arrived (for back-off assertions).</summary>
internal sealed record ProviderRequest(string Method, string PathAndQuery, string Body, string? Authorization, TimeSpan At);

/// <summary>One scripted answer.</summary>
internal sealed record ProviderAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json; charset=utf-8");

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 that plays Microsoft Graph, the Microsoft token endpoint, Google
/// Calendar v3 and Google's token endpoint for the real SDK clients. Each route answers from its own queue
/// of scripted responders, in order; a token route may also have a standing answer. Requests are recorded.
/// </summary>
internal sealed class ProviderReplayServer : IAsyncDisposable
{
    public const string Tenant = "contoso-tenant";
    private const string PublicGraph = "https://graph.microsoft.com/v1.0";

    private readonly ConcurrentDictionary<ReplayRoute, ConcurrentQueue<Func<ProviderRequest, CancellationToken, Task<ProviderAnswer>>>> _scripts = new();
    private readonly ConcurrentDictionary<ReplayRoute, Func<ProviderRequest, ProviderAnswer>> _standing = new();
    private readonly ConcurrentDictionary<ReplayRoute, ConcurrentQueue<ProviderRequest>> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public string GraphBaseUrl => BaseUrl + "/v1.0";

    public string GoogleApiBaseUrl => BaseUrl + "/calendar/v3/";

    public string GoogleTokenEndpoint => BaseUrl + "/google/token";

    public static async Task<ProviderReplayServer> StartAsync()
    {
        var server = new ProviderReplayServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    public IReadOnlyList<ProviderRequest> Requests(ReplayRoute route) => _requests.TryGetValue(route, out var queue) ? [.. queue] : [];

    public int Count(ReplayRoute route) => Requests(route).Count;

    public ProviderReplayServer Answer(ReplayRoute route, ProviderAnswer answer) => Answer(route, (_, _) => Task.FromResult(answer));

    public ProviderReplayServer Answer(ReplayRoute route, Func<ProviderRequest, CancellationToken, Task<ProviderAnswer>> responder)
    {
        _scripts.GetOrAdd(route, _ => new()).Enqueue(responder);
        return this;
    }

    /// <summary>The answer a route gives once its script is used up (token endpoints, mostly).</summary>
    public ProviderReplayServer AlwaysAnswer(ReplayRoute route, Func<ProviderRequest, ProviderAnswer> responder)
    {
        _standing[route] = responder;
        return this;
    }

    /// <summary>A Graph fixture of <c>shared/fixtures/graph/</c> with its links moved to this server.</summary>
    public string GraphFixture(string fileName) => MoveGraphLinks(SyncFixtures.Read("graph", fileName));

    public string MoveGraphLinks(string body) => body.Replace(PublicGraph, GraphBaseUrl, StringComparison.Ordinal);

    public static ProviderAnswer Json(string body, int status = 200) => new(status, body);

    public static ProviderAnswer MicrosoftTokens(string accessToken, string? refreshToken = null, int expiresIn = 3599) =>
        Json(refreshToken is null
            ? $$"""{"token_type":"Bearer","scope":"Calendars.Read","expires_in":{{expiresIn}},"access_token":"{{accessToken}}"}"""
            : $$"""{"token_type":"Bearer","scope":"Calendars.Read","expires_in":{{expiresIn}},"access_token":"{{accessToken}}","refresh_token":"{{refreshToken}}"}""");

    public static ProviderAnswer GoogleTokens(string accessToken, string? refreshToken = null, int expiresIn = 3599) =>
        Json(refreshToken is null
            ? $$"""{"access_token":"{{accessToken}}","expires_in":{{expiresIn}},"token_type":"Bearer"}"""
            : $$"""{"access_token":"{{accessToken}}","expires_in":{{expiresIn}},"token_type":"Bearer","refresh_token":"{{refreshToken}}"}""");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static ReplayRoute? RouteOf(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return path switch
        {
            _ when path.StartsWith("/v1.0/", StringComparison.Ordinal) => ReplayRoute.Graph,
            _ when path == $"/{Tenant}/oauth2/v2.0/token" => ReplayRoute.MicrosoftToken,
            _ when path.StartsWith("/calendar/v3/calendars/", StringComparison.Ordinal) && path.EndsWith("/events", StringComparison.Ordinal) => ReplayRoute.GoogleEvents,
            "/google/token" => ReplayRoute.GoogleToken,
            _ => null,
        };
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        if (RouteOf(request) is not { } route)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var reader = new StreamReader(request.Body);
        var recorded = new ProviderRequest(
            request.Method,
            request.GetEncodedPathAndQuery(),
            await reader.ReadToEndAsync(context.RequestAborted),
            request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString(),
            _clock.Elapsed);
        _requests.GetOrAdd(route, _ => new()).Enqueue(recorded);

        ProviderAnswer answer;
        if (_scripts.TryGetValue(route, out var script) && script.TryDequeue(out var responder))
        {
            answer = await responder(recorded, context.RequestAborted);
        }
        else if (_standing.TryGetValue(route, out var standing))
        {
            answer = standing(recorded);
        }
        else
        {
            // More requests than the test scripted: an answer no client mistakes for data or for a retryable failure.
            answer = new ProviderAnswer(418, $$"""{"error":"no scripted answer left for {{route}}"}""");
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }
}

/// <summary>Reads <c>shared/fixtures/{provider}/</c>, found by walking up from the test binaries; never copied into the repository.</summary>
internal static class SyncFixtures
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Read(string provider, string fileName)
    {
        var path = Path.Combine(Root.Value, provider, fileName);
        return File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"No {provider} fixture named {fileName}", path);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures folder above {AppContext.BaseDirectory}.");
    }
}
