using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and a free port, for tests that talk HTTP to a provider.
/// Map a path to canned responses (played in order, the last one repeating) or to a handler;
/// every request is recorded. A path nobody mapped answers 404.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private LocalHttpServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c></summary>
    public Uri BaseAddress { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<LocalHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();

        LocalHttpServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LocalHttpServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public Uri UrlFor(string pathAndQuery) => new(BaseAddress, pathAndQuery.TrimStart('/'));

    /// <summary>Answers <paramref name="path"/> with the responses in order; the last one repeats.</summary>
    public void Map(string path, params CannedResponse[] responses)
    {
        if (responses.Length == 0)
        {
            throw new ArgumentException("At least one response is needed.", nameof(responses));
        }

        _routes[path] = new Route(new ConcurrentQueue<CannedResponse>(responses), null);
    }

    /// <summary>Answers <paramref name="path"/> with a handler, for streaming or slow responses.</summary>
    public void Map(string path, RequestDelegate handler) => _routes[path] = new Route(null, handler);

    /// <summary>How many requests arrived for a path.</summary>
    public int CountFor(string path) => _requests.Count(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", headers, body));

        if (!_routes.TryGetValue(request.Path.Value ?? "/", out var route))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync($"No response is mapped for {request.Path}.", context.RequestAborted);
            return;
        }

        if (route.Handler is not null)
        {
            await route.Handler(context);
            return;
        }

        var canned = route.Next();
        context.Response.StatusCode = canned.Status;
        if (canned.ContentType is not null)
        {
            context.Response.ContentType = canned.ContentType;
        }

        foreach (var (name, value) in canned.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentLength = canned.Body.Length;
        await context.Response.Body.WriteAsync(canned.Body, context.RequestAborted);
    }

    private sealed record Route(ConcurrentQueue<CannedResponse>? Responses, RequestDelegate? Handler)
    {
        private readonly Lock _gate = new();

        public CannedResponse Next()
        {
            lock (_gate)
            {
                // Keep the last response: it answers every later request.
                return Responses!.Count > 1 && Responses.TryDequeue(out var next) ? next : Responses.First();
            }
        }
    }
}
