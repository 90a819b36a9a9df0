using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Kiota.Abstractions.Store;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

public sealed class GraphCalendarSourceTests : IAsyncLifetime
{
    private const string Page1 = "graph-calendarview-delta-page1-nextlink.json";
    private const string Page2 = "graph-calendarview-delta-page2-nextlink.json";
    private const string Page3 = "graph-calendarview-delta-page3-final-deltalink.json";
    private const string NextRound = "graph-calendarview-delta-nextround-removed-deltalink.json";
    private const string DeltaLink = "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E";

    private static readonly Interval Window = new(Instant.FromUtc(2016, 12, 1, 0, 0), Instant.FromUtc(2016, 12, 30, 0, 0));

    private GraphReplayServer _server = null!;

    public async Task InitializeAsync() => _server = await GraphReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_YieldsThreePagesEndingWithTheDeltaLink_WhenReadingInFull()
    {
        _server.AnswerGraphWithFixture(Page1);
        _server.AnswerGraphWithFixture(Page2);
        _server.AnswerGraphWithFixture(Page3);

        var pages = await ReadAllAsync(Source(), Request(cursor: null));

        Assert.Equal([2, 2, 1], pages.Select(p => p.Changed.Count));
        Assert.Equal([false, false, true], pages.Select(p => p.IsLastPage));
        Assert.All(pages, p => Assert.True(p.IsFullRead));
        Assert.Equal("full:" + _server.Link("https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s"), pages[0].Cursor);
        Assert.Equal("delta:" + _server.Link(DeltaLink), pages[2].Cursor);
        Assert.Equal("Plan shopping list", pages[0].Changed[0].Title);
        Assert.Equal(Instant.FromUtc(2016, 12, 9, 20, 30), pages[0].Changed[0].Start);
        var requests = _server.GraphRequests;
        Assert.StartsWith("/v1.0/me/calendarView/delta()?", requests[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("startDateTime=2016-12-01T00%3A00%3A00Z", requests[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("endDateTime=2016-12-30T00%3A00%3A00Z", requests[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("/v1.0/me/calendarView/delta?$skiptoken=R0usmci39OQxqJrxK4", requests[2].PathAndQuery);
    }

    // Kiota's default backing store tracked changes we never send back and cost about a third of a
    // worker's CPU in a full sync (bench/README.md); the mapping must come out the same without it.
    [Fact]
    public async Task ReadAsync_ParsesPagesWithTheReadOnlyBackingStore_AndMapsEveryField()
    {
        _server.AnswerGraphWithFixture(Page1);
        _server.AnswerGraphWithFixture(Page2);
        _server.AnswerGraphWithFixture(Page3);

        var pages = await ReadAllAsync(Source(), Request(cursor: null));

        Assert.IsType<ReadOnlyBackingStore.Factory>(BackingStoreFactorySingleton.Instance);
        var first = pages[0].Changed[0];
        Assert.Equal("Plan shopping list", first.Title);
        Assert.Equal(Instant.FromUtc(2016, 12, 9, 20, 30), first.Start);
        Assert.True(first.End > first.Start);
        Assert.False(string.IsNullOrEmpty(first.ProviderId));
    }

    [Fact]
    public async Task ReadAsync_SendsThePreferHeader_OnEveryRequest()
    {
        _server.AnswerGraphWithFixture(Page1);
        _server.AnswerGraphWithFixture(Page2);
        _server.AnswerGraphWithFixture(Page3);

        await ReadAllAsync(Source(), Request(cursor: null));

        // Kiota drops headers on WithUrl requests unless they are added again.
        Assert.Equal(3, _server.GraphRequests.Count);
        Assert.All(_server.GraphRequests, r =>
        {
            Assert.Contains("odata.maxpagesize=2", r.Prefer, StringComparison.Ordinal);
            Assert.Contains("outlook.timezone=\"UTC\"", r.Prefer, StringComparison.Ordinal);
            Assert.Equal("Bearer test-access-token", r.Authorization);
        });
    }

    [Fact]
    public async Task ReadAsync_ResumesAFullRead_WhenTheCursorIsAFullReadNextLink()
    {
        _server.AnswerGraphWithFixture(Page2);
        _server.AnswerGraphWithFixture(Page3);
        var cursor = "full:" + _server.Link("https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s");

        var pages = await ReadAllAsync(Source(), Request(cursor));

        Assert.All(pages, p => Assert.True(p.IsFullRead));
        Assert.Equal("/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s", _server.GraphRequests[0].PathAndQuery);
    }

    [Fact]
    public async Task ReadAsync_YieldsChangesAndRemovedIds_WhenReadingFromTheDeltaLink()
    {
        _server.AnswerGraphWithFixture(NextRound);

        var pages = await ReadAllAsync(Source(), Request("delta:" + _server.Link(DeltaLink)));

        var page = Assert.Single(pages);
        Assert.False(page.IsFullRead);
        Assert.True(page.IsLastPage);
        Assert.Equal("Attend service", Assert.Single(page.Changed).Title);
        Assert.Equal("AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA=", Assert.Single(page.Removed));
        Assert.Equal("delta:" + _server.Link("https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmcFuQtZdtpk4"), page.Cursor);
        Assert.Equal("/v1.0/me/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E", Assert.Single(_server.GraphRequests).PathAndQuery);
    }

    [Fact]
    public async Task ReadAsync_SendsExactlyOneRequest_WhenTheCalendarIsUnchanged()
    {
        _server.AnswerGraph(200, _server.RewriteLinks(
            """{"@odata.deltaLink":"https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=NEXT","value":[]}"""));

        var pages = await ReadAllAsync(Source(), Request("delta:" + _server.Link(DeltaLink)));

        var page = Assert.Single(pages);
        Assert.Empty(page.Changed);
        Assert.Empty(page.Removed);
        Assert.EndsWith("$deltatoken=NEXT", page.Cursor, StringComparison.Ordinal);
        Assert.Single(_server.GraphRequests);
    }

    [Fact]
    public async Task ReadAsync_ThrowsCursorExpired_WhenGraphAnswers410()
    {
        _server.AnswerGraphWithFixture("graph-error-410-syncstatenotfound.json", status: 410);

        var error = await Assert.ThrowsAsync<CalendarSourceException>(
            () => ReadAllAsync(Source(), Request("delta:" + _server.Link(DeltaLink))));

        Assert.Equal(CalendarErrorKind.CursorExpired, error.Kind);
        Assert.Equal(410, error.HttpStatus);
        Assert.Contains("SyncStateNotFound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ThrowsCursorExpiredWithoutSendingTheToken_WhenTheCursorPointsAtAnotherHost()
    {
        var cursor = "delta:https://attacker.example/v1.0/me/calendarView/delta?$deltatoken=x";

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Source(), Request(cursor)));

        Assert.Equal(CalendarErrorKind.CursorExpired, error.Kind);
        Assert.Contains("attacker.example", error.Message, StringComparison.Ordinal);
        Assert.Empty(_server.GraphRequests);
    }

    [Fact]
    public async Task ReadAsync_WaitsForRetryAfter_WhenThrottled()
    {
        // Graph sends fractional seconds ("2.128"); the stock header parser rejects them.
        _server.AnswerGraphWithFixture(
            "graph-error-429-toomanyrequests.json",
            status: 429,
            headers: new Dictionary<string, string> { ["Retry-After"] = "0.4" });
        _server.AnswerGraphWithFixture(Page3);

        var pages = await ReadAllAsync(Source(), Request(cursor: null));

        Assert.Single(pages);
        var requests = _server.GraphRequests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(390), $"waited {requests[1].At - requests[0].At}");
        Assert.Contains("odata.maxpagesize=2", requests[1].Prefer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Succeeds_AfterOneServerError()
    {
        _server.AnswerGraph(502, "<html>Bad gateway</html>");
        _server.AnswerGraphWithFixture(Page3);

        var pages = await ReadAllAsync(Source(), Request(cursor: null));

        Assert.Equal("Rest!", Assert.Single(Assert.Single(pages).Changed).Title);
        Assert.Equal(2, _server.GraphRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsProviderUnavailableWithTheStatus_WhenGraphKeepsAnswering503()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.AnswerGraph(503, """{"error":{"code":"ServiceUnavailable","message":"Try later."}}""");
        }

        var error = await Assert.ThrowsAsync<CalendarSourceException>(
            () => ReadAllAsync(Source(maxAttempts: 3), Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.ProviderUnavailable, error.Kind);
        Assert.Equal(503, error.HttpStatus);
        Assert.Equal(3, _server.GraphRequests.Count);
    }

    [Theory]
    [InlineData("{ \"value\": [ { \"id\": ")] // truncated body
    [InlineData("""{"@odata.deltaLink":"https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x"}""")] // no "value"
    public async Task ReadAsync_ThrowsBadData_WhenThePageIsMalformed(string body)
    {
        _server.AnswerGraph(200, _server.RewriteLinks(body));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Source(), Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.StartsWith("Microsoft Graph returned a malformed page: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ThrowsBadData_WhenAProxyAnswersWithHtml()
    {
        // A captive portal or proxy login page answers 200 with HTML instead of Graph's JSON.
        _server.AnswerGraph(200, "<html><body>Sign in to the guest network</body></html>", new Dictionary<string, string> { ["Content-Type"] = "text/html" });

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Source(), Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.StartsWith("Microsoft Graph returned a malformed page: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TitlesTheEventNoTitle_WhenTheSubjectIsNull()
    {
        _server.AnswerGraph(200, _server.RewriteLinks("""
            {
              "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x",
              "value": [
                {
                  "id": "AAMkNoSubject=",
                  "subject": null,
                  "start": { "dateTime": "2016-12-12T09:00:00.0000000", "timeZone": "UTC" },
                  "end": { "dateTime": "2016-12-12T09:30:00.0000000", "timeZone": "UTC" }
                }
              ]
            }
            """));

        var pages = await ReadAllAsync(Source(), Request(cursor: null));

        Assert.Equal("(no title)", Assert.Single(Assert.Single(pages).Changed).Title);
    }

    private static CalendarReadRequest Request(string? cursor) =>
        new(Guid.Parse("6f1c1d1e-0000-4000-8000-000000000001"), "primary", Window, cursor, OwnerEmail: null);

    private GraphCalendarSource Source(int maxAttempts = 3) => GraphCalendarSource.ForAccessToken(
        "test-access-token",
        new MicrosoftCalendarOptions
        {
            GraphBaseUrl = _server.GraphBaseUrl,
            PageSize = 2,
            MaxAttempts = maxAttempts,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        });

    private static async Task<List<CalendarPage>> ReadAllAsync(GraphCalendarSource source, CalendarReadRequest request)
    {
        var pages = new List<CalendarPage>();
        await foreach (var page in source.ReadAsync(request, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }
}
