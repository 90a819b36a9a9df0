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

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

/// <summary>One scripted HTTP answer.</summary>
internal sealed record ReplayAnswer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>What the server saw, with the moment it arrived (for back-off assertions).</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? Prefer, string? Authorization, string Body, TimeSpan At);

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 standing in for Graph (<c>/v1.0/…</c>) and the Microsoft
/// token endpoint (<c>/{tenant}/oauth2/v2.0/token</c>). Each stands on its own queue of scripted
/// answers; fixture links to graph.microsoft.com are rewritten to this server.
/// </summary>
internal sealed class GraphReplayServer : IAsyncDisposable
{
    private const string PublicGraph = "https://graph.microsoft.com/v1.0";

    private readonly ConcurrentQueue<ReplayAnswer> _graphAnswers = new();
    private readonly ConcurrentQueue<ReplayAnswer> _tokenAnswers = new();
    private readonly ConcurrentQueue<RecordedRequest> _graphRequests = new();
    private readonly ConcurrentQueue<RecordedRequest> _tokenRequests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = string.Empty;

    public string GraphBaseUrl => BaseUrl + "/v1.0";

    public IReadOnlyList<RecordedRequest> GraphRequests => [.. _graphRequests];

    public IReadOnlyList<RecordedRequest> TokenRequests => [.. _tokenRequests];

    public static async Task<GraphReplayServer> StartAsync()
    {
        var server = new GraphReplayServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server._app = app;
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features
            .Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>Reads a file of <c>shared/fixtures/graph/</c> with its links pointing here.</summary>
    public string Fixture(string fileName) => RewriteLinks(File.ReadAllText(FixturePath(fileName)));

    public string RewriteLinks(string body) => body.Replace(PublicGraph, GraphBaseUrl, StringComparison.Ordinal);

    /// <summary>The public Graph link of a fixture, moved here: what a stored cursor holds.</summary>
    public string Link(string publicGraphLink) => RewriteLinks(publicGraphLink);

    public void AnswerGraph(int status, string body, IReadOnlyDictionary<string, string>? headers = null) =>
        _graphAnswers.Enqueue(new ReplayAnswer(status, body, headers));

    public void AnswerGraphWithFixture(string fileName, int status = 200, IReadOnlyDictionary<string, string>? headers = null) =>
        AnswerGraph(status, Fixture(fileName), headers);

    public void AnswerToken(int status, string body) => _tokenAnswers.Enqueue(new ReplayAnswer(status, body));

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    internal static string FixturePath(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "graph", fileName);
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "fixtures")))
            {
                return File.Exists(candidate)
                    ? candidate
                    : throw new FileNotFoundException($"No Graph fixture named {fileName}", candidate);
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures folder above {AppContext.BaseDirectory}");
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var recorded = new RecordedRequest(
            request.Method,
            request.GetEncodedPathAndQuery(),
            request.Headers["Prefer"].Count == 0 ? null : string.Join(", ", request.Headers["Prefer"].ToArray()),
            request.Headers.Authorization.Count == 0 ? null : request.Headers.Authorization.ToString(),
            await reader.ReadToEndAsync(context.RequestAborted),
            _clock.Elapsed);

        ConcurrentQueue<ReplayAnswer> answers;
        if (request.Path.StartsWithSegments("/v1.0", StringComparison.Ordinal))
        {
            _graphRequests.Enqueue(recorded);
            answers = _graphAnswers;
        }
        else if (request.Path.Value?.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) == true)
        {
            _tokenRequests.Enqueue(recorded);
            answers = _tokenAnswers;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!answers.TryDequeue(out var answer))
        {
            // A test that sends more requests than it scripted fails on this status, loudly.
            context.Response.StatusCode = StatusCodes.Status418ImATeapot;
            await context.Response.WriteAsync("no scripted answer left", context.RequestAborted);
            return;
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }
}
