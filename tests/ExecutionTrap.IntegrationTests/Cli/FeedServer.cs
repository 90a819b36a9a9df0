using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>A Kestrel server on 127.0.0.1:0 publishing ICS feeds the way calendar hosts do, and failing the ways they fail.</summary>
internal sealed class FeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FeedServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FeedServer> StartAsync(string calendarPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/calendar.ics", () => Results.File(calendarPath, "text/calendar; charset=utf-8"));
        app.MapGet("/removed.ics", () => Results.NotFound("Not Found"));

        // A published link that was reset: the host answers 200 with its sign-in page.
        app.MapGet("/signin.ics", () => Results.Content(
            "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>Sign in to see this calendar</form></body></html>",
            "text/html; charset=utf-8"));
        await app.StartAsync();
        var server = new FeedServer(app)
        {
            BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/'),
        };
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
