using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

/// <summary>The source as the host wires it: tokens refreshed from the connection's stored grant.</summary>
public sealed class GraphCalendarSourceAuthenticationTests : IAsyncLifetime
{
    private static readonly Guid ConnectionId = Guid.Parse("0b7c3a52-0000-4000-8000-00000000000b");
    private static readonly Interval Window = new(Instant.FromUtc(2016, 12, 1, 0, 0), Instant.FromUtc(2016, 12, 30, 0, 0));

    private readonly FakeConnectionSecrets _secrets = new();
    private GraphReplayServer _server = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await GraphReplayServer.StartAsync();
        _host = await MicrosoftTestHost.StartAsync(_server, _secrets);
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public void AddMicrosoftCalendar_RegistersTheGraphSource_AsACalendarSource()
    {
        var sources = _host.Services.GetServices<ICalendarSource>();

        Assert.Contains(sources, s => s is GraphCalendarSource);
    }

    [Fact]
    public async Task ReadAsync_SendsTheRefreshedAccessToken_WhenReadingWithAStoredGrant()
    {
        _secrets.Hold(ConnectionId, "refresh-1");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", "refresh-2"));
        _server.AnswerGraphWithFixture("graph-calendarview-delta-page3-final-deltalink.json");

        var pages = await ReadAllAsync();

        Assert.Single(pages);
        Assert.Equal("Bearer access-1", Assert.Single(_server.GraphRequests).Authorization);
        Assert.Equal("refresh-2", _secrets.Held(ConnectionId));
    }

    [Fact]
    public async Task ReadAsync_RefreshesTheTokenOnceAndRetries_WhenGraphAnswers401()
    {
        _secrets.Hold(ConnectionId, "refresh-1");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", "refresh-2"));
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-2", "refresh-3"));
        _server.AnswerGraph(401, """{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}""");
        _server.AnswerGraphWithFixture("graph-calendarview-delta-page3-final-deltalink.json");

        var pages = await ReadAllAsync();

        Assert.Single(pages);
        Assert.Equal(["Bearer access-1", "Bearer access-2"], _server.GraphRequests.Select(r => r.Authorization));
        Assert.Equal(2, _server.TokenRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsNeedsReconnect_WhenGraphRefusesTheFreshTokenToo()
    {
        _secrets.Hold(ConnectionId, "refresh-1");
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-1", "refresh-2"));
        _server.AnswerToken(200, MicrosoftTestHost.TokenAnswer("access-2", "refresh-3"));
        _server.AnswerGraph(401, """{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure."}}""");
        _server.AnswerGraph(401, """{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure."}}""");

        var error = await Assert.ThrowsAsync<CalendarSourceException>(ReadAllAsync);

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal(2, _server.GraphRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsNeedsReconnectWithoutCallingGraph_WhenTheGrantIsRevoked()
    {
        _secrets.Hold(ConnectionId, "refresh-1");
        _server.AnswerToken(400, """{"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked."}""");

        var error = await Assert.ThrowsAsync<CalendarSourceException>(ReadAllAsync);

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Single(_secrets.NeedsReconnect);
        Assert.Empty(_server.GraphRequests);
    }

    private async Task<List<CalendarPage>> ReadAllAsync()
    {
        var source = _host.Services.GetRequiredService<GraphCalendarSource>();
        var pages = new List<CalendarPage>();
        await foreach (var page in source.ReadAsync(new CalendarReadRequest(ConnectionId, "primary", Window, null, null), CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }
}
