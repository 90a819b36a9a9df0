using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Newtonsoft.Json.Linq;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Calendars.Google;

public sealed class GoogleCalendarSourceTests : IAsyncLifetime
{
    private const string RefreshToken = "1//stored-refresh-token";
    private const string FinalSyncToken = "CPjflvfe1YEDEPjflvfe1YEDGAUg0_uyjwI=";
    private const string Page1Token = "ClEKQ182a3MzaWRoazZvcWpnYzlsNnNyM2NjcGc2OHBqMmUyMGRsbm00cWJjY2xwbmlyajM1cGptdXJyN2RoaWlzb3JmZGsYASCAgIDqg5PLwhIaDQgAEgAY-KP05dmb2gI=";

    private static readonly Interval Window = new(Instant.FromUtc(2018, 3, 1, 0, 0), Instant.FromUtc(2023, 12, 1, 0, 0));

    private readonly Guid _connectionId = Guid.NewGuid();
    private readonly FakeConnectionSecrets _secrets = new();
    private GoogleReplayServer _server = null!;
    private GoogleConnectorHost _host = null!;

    public async Task InitializeAsync()
    {
        _server = await GoogleReplayServer.StartAsync();
        _secrets.With(_connectionId, RefreshToken);
        _host = new GoogleConnectorHost(_server, _secrets);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_FollowsPageTokensAndEndsWithSyncCursor_WhenReadingFromScratch()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Fixture("google-events-list-page1-nextpagetoken.json"))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));

        var pages = await ReadAllAsync(Request(cursor: null));

        Assert.Equal(2, pages.Count);
        Assert.All(pages, p => Assert.True(p.IsFullRead));
        Assert.False(pages[0].IsLastPage);
        Assert.StartsWith("page:", pages[0].Cursor, StringComparison.Ordinal);
        Assert.EndsWith(Page1Token, pages[0].Cursor, StringComparison.Ordinal);
        Assert.True(pages[1].IsLastPage);
        Assert.Equal("sync:" + FinalSyncToken, pages[1].Cursor);
        var first = Assert.Single(pages[0].Changed);
        Assert.Equal("3if6lf59tove1e037baa75l54t", first.ProviderId);
        Assert.Equal("Cool Meeting about stuff", first.Title);
        Assert.Equal(Instant.FromUtc(2018, 4, 1, 8, 30), first.Start);
        Assert.Equal(Instant.FromUtc(2018, 4, 1, 9, 30), first.End);
        Assert.True(first.IsOrganizer);
        Assert.Equal("test event", Assert.Single(pages[1].Changed).Title);

        var requests = _server.EventRequests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("/calendar/v3/calendars/primary/events", r.Path);
            Assert.Equal("true", r.Query["singleEvents"]);
            Assert.Equal("true", r.Query["showDeleted"]);
            Assert.Equal("250", r.Query["maxResults"]);
            Assert.Equal("2018-03-01T00:00:00Z", r.Query["timeMin"]);
            Assert.Equal("2023-12-01T00:00:00Z", r.Query["timeMax"]);
            Assert.Equal("Bearer at-1", r.Authorization);
            Assert.False(r.Query.ContainsKey("syncToken"));
        });
        Assert.False(requests[0].Query.ContainsKey("pageToken"));
        Assert.Equal(Page1Token, requests[1].Query["pageToken"]);
        var refresh = Assert.Single(_server.TokenRequests);
        Assert.Equal("refresh_token", refresh.Form["grant_type"]);
        Assert.Equal(RefreshToken, refresh.Form["refresh_token"]);
    }

    [Fact]
    public async Task ReadAsync_ResumesTheSameFullRead_WhenCursorHoldsPageToken()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Fixture("google-events-list-page1-nextpagetoken.json"))
            .Token(GoogleReplayServer.AccessToken("at-2"))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));
        var interrupted = await _host.Source.ReadAsync(Request(cursor: null), CancellationToken.None).FirstAsync();

        // The sync resumes a day later: its window has moved, but a page token is bound to the original one.
        var later = new Interval(Window.Start + Duration.FromDays(1), Window.End + Duration.FromDays(1));
        var pages = await ReadAllAsync(Request(interrupted.Cursor) with { Window = later });

        var page = Assert.Single(pages);
        Assert.True(page.IsFullRead);
        Assert.True(page.IsLastPage);
        var resumed = _server.EventRequests[1];
        Assert.Equal(Page1Token, resumed.Query["pageToken"]);
        Assert.Equal("2018-03-01T00:00:00Z", resumed.Query["timeMin"]);
        Assert.Equal("2023-12-01T00:00:00Z", resumed.Query["timeMax"]);
    }

    [Fact]
    public async Task ReadAsync_ReturnsCancelledEventsAndInstancesAsRemoved_WhenReadingFromSyncToken()
    {
        var deletedPage = JObject.Parse(GoogleFixtures.Read("google-events-incremental-cancelled-deleted-event.json"));
        deletedPage.Remove("nextSyncToken");
        deletedPage["nextPageToken"] = "page-2";
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Json(deletedPage.ToString()))
            .Events(ReplayResponse.Fixture("google-events-incremental-cancelled-instance.json"));

        var pages = await ReadAllAsync(Request("sync:previous-token"));

        Assert.Equal(2, pages.Count);
        Assert.All(pages, p => Assert.False(p.IsFullRead));
        Assert.Equal("sync:previous-token|page-2", pages[0].Cursor);
        Assert.Equal(["6pbua6vjeic3e73gvponeo1qp6"], pages[0].Removed);
        Assert.Empty(pages[0].Changed);
        Assert.Equal(["5hni4sj3ql1669otmjg7sn1mok_20250325T130000Z"], pages[1].Removed);
        var master = Assert.Single(pages[1].Changed);
        Assert.Equal("5hni4sj3ql1669otmjg7sn1mok", master.ProviderId);
        Assert.True(master.IsRecurring);
        Assert.Equal("sync:CI-dtZWmpYwDEI-dtZWmpYwDGAUg24mI4AIo24mI4AI=", pages[1].Cursor);
        Assert.All(_server.EventRequests, r =>
        {
            Assert.Equal("previous-token", r.Query["syncToken"]);
            Assert.False(r.Query.ContainsKey("timeMin"));
            Assert.False(r.Query.ContainsKey("timeMax"));
        });
        Assert.Equal("page-2", _server.EventRequests[1].Query["pageToken"]);
    }

    [Fact]
    public async Task ReadAsync_SendsExactlyOneRequest_WhenCalendarIsUnchanged()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Json("""{"kind":"calendar#events","timeZone":"Europe/London","items":[],"nextSyncToken":"next-token"}"""));

        var pages = await ReadAllAsync(Request("sync:previous-token"));

        var page = Assert.Single(pages);
        Assert.Empty(page.Changed);
        Assert.Empty(page.Removed);
        Assert.True(page.IsLastPage);
        Assert.Equal("sync:next-token", page.Cursor);
        var request = Assert.Single(_server.EventRequests);
        Assert.Equal("previous-token", request.Query["syncToken"]);
        Assert.False(request.Query.ContainsKey("timeMin"));
        Assert.False(request.Query.ContainsKey("timeMax"));
    }

    [Fact]
    public async Task ReadAsync_ThrowsCursorExpired_WhenGoogleAnswers410()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Fixture("google-error-410-fullsyncrequired.json", 410));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request("sync:expired-token")));

        Assert.Equal(CalendarErrorKind.CursorExpired, error.Kind);
        Assert.Equal(410, error.HttpStatus);
        Assert.Contains("fullSyncRequired", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.EventRequests);
    }

    [Theory]
    [InlineData("google-error-403-ratelimitexceeded.json", 403)]
    [InlineData("google-error-403-quota-permission-denied.json", 403)] // the newer PERMISSION_DENIED shape, still a rate limit
    [InlineData("google-error-403-ratelimitexceeded.json", 429)] // no public 429 body exists; Google documents the same shape
    public async Task ReadAsync_RetriesAfterBackoff_WhenRateLimited(string fixture, int status)
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Fixture(fixture, status))
            .Events(ReplayResponse.Fixture(fixture, status))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));

        var pages = await ReadAllAsync(Request(cursor: null));

        Assert.Equal("sync:" + FinalSyncToken, Assert.Single(pages).Cursor);
        Assert.Equal(3, _server.EventRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsProviderUnavailable_WhenGoogleKeepsFailing()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"));
        for (var i = 0; i < 3; i++)
        {
            _server.Events(ReplayResponse.Json("""{"error":{"code":503,"message":"Backend Error","errors":[{"reason":"backendError"}]}}""", 503));
        }

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.ProviderUnavailable, error.Kind);
        Assert.Equal(503, error.HttpStatus);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.EventRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsForbiddenWithoutRetrying_WhenRefusalIsNotARateLimit()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Json(
                """{"error":{"code":403,"message":"Insufficient Permission","errors":[{"domain":"global","reason":"insufficientPermissions","message":"Insufficient Permission"}]}}""",
                403));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.Forbidden, error.Kind);
        Assert.Equal(403, error.HttpStatus);
        Assert.Contains("insufficientPermissions", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.EventRequests);
    }

    [Fact]
    public async Task ReadAsync_RefreshesTokenAndRetries_WhenGoogleAnswers401()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Token(GoogleReplayServer.AccessToken("at-2"))
            .Events(ReplayResponse.Fixture("google-error-401-invalid-credentials.json", 401))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));

        var pages = await ReadAllAsync(Request(cursor: null));

        Assert.Single(pages);
        Assert.Equal(["Bearer at-1", "Bearer at-2"], _server.EventRequests.Select(r => r.Authorization));
        Assert.Equal(2, _server.TokenRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsNeedsReconnect_WhenFreshTokenIsRejectedToo()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Token(GoogleReplayServer.AccessToken("at-2"))
            .Events(ReplayResponse.Fixture("google-error-401-invalid-credentials.json", 401))
            .Events(ReplayResponse.Fixture("google-error-401-invalid-credentials-legacy.json", 401));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal(2, _server.EventRequests.Count);
    }

    [Fact]
    public async Task ReadAsync_ThrowsNeedsReconnectAndMarksConnection_WhenGrantIsRevoked()
    {
        _server.Token(ReplayResponse.Fixture("google-oauth-error-400-invalid-grant-revoked.json", 400));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Single(_secrets.MarkedNeedsReconnect);
        Assert.Empty(_server.EventRequests);
        Assert.DoesNotContain(RefreshToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ThrowsBadData_WhenPageIsTruncated()
    {
        var page = GoogleFixtures.Read("google-events-list-page1-nextpagetoken.json");
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Json(page[..(page.Length / 2)]));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("not a Calendar v3 events page", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Cool Meeting", error.ToString(), StringComparison.Ordinal); // meeting titles stay out of errors
        Assert.Single(_server.EventRequests);
    }

    [Fact]
    public async Task ReadAsync_ThrowsBadDataNamingTheEvent_WhenAnEventHasNoStart()
    {
        var page = JObject.Parse(GoogleFixtures.Read("google-events-list-final-page-nextsynctoken.json"));
        ((JObject)page["items"]![0]!).Remove("start");
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Json(page.ToString()));

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => ReadAllAsync(Request(cursor: null)));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("6egnphrsf9aqj588m7t6bpd3ol", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ReadsTheNamedCalendar_WhenAddressIsGiven()
    {
        _server.Token(GoogleReplayServer.AccessToken("at-1"))
            .Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));

        await ReadAllAsync(Request(cursor: null) with { Address = "team@group.calendar.google.com" });

        Assert.Equal("/calendar/v3/calendars/team@group.calendar.google.com/events", Assert.Single(_server.EventRequests).Path);
    }

    [Fact]
    public async Task ForAccessToken_ReadsWithTheGivenToken_WithoutTouchingTheTokenEndpoint()
    {
        _server.Events(ReplayResponse.Fixture("google-events-list-final-page-nextsynctoken.json"));
        var source = _host.Factory.ForAccessToken("cli-access-token", _server.ApiBaseUrl.TrimEnd('/'));

        var pages = await source.ReadAsync(Request(cursor: null), CancellationToken.None).ToListAsync();

        Assert.Equal("sync:" + FinalSyncToken, Assert.Single(pages).Cursor);
        Assert.Equal("Bearer cli-access-token", Assert.Single(_server.EventRequests).Authorization);
        Assert.Empty(_server.TokenRequests);
    }

    [Fact]
    public async Task ForAccessToken_ThrowsNeedsReconnect_WhenTokenIsRejected()
    {
        _server.Events(ReplayResponse.Fixture("google-error-401-invalid-credentials.json", 401));
        var source = _host.Factory.ForAccessToken("expired-access-token", _server.ApiBaseUrl);

        var error = await Assert.ThrowsAsync<CalendarSourceException>(
            () => source.ReadAsync(Request(cursor: null), CancellationToken.None).ToListAsync().AsTask());

        Assert.Equal(CalendarErrorKind.NeedsReconnect, error.Kind);
        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public void AddGoogleCalendar_RegistersTheSourceAsACalendarSource()
    {
        var sources = _host.AllSources.ToList();

        Assert.Contains(sources, s => s.Provider == CalendarProvider.Google && s is GoogleCalendarSource);
    }

    private CalendarReadRequest Request(string? cursor) =>
        new(_connectionId, "primary", Window, cursor, OwnerEmail: null);

    private async Task<List<CalendarPage>> ReadAllAsync(CalendarReadRequest request) =>
        await _host.Source.ReadAsync(request, CancellationToken.None).ToListAsync();
}
