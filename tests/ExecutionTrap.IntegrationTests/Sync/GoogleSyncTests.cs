using System.Text.Json.Nodes;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage.Entities;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>Google Calendar through <c>SyncConnectionJob</c>, the real Google.Apis client and a real database.</summary>
[Collection(PostgresGroup.Name)]
public sealed class GoogleSyncTests(PostgresServer postgres)
{
    private const string Page1 = "google-events-list-page1-nextpagetoken.json";
    private const string FinalPage = "google-events-list-final-page-nextsynctoken.json";
    private const string Cancelled = "google-events-incremental-cancelled-deleted-event.json";
    private const string CancelledInstance = "google-events-incremental-cancelled-instance.json";

    private const string Page1Event = "3if6lf59tove1e037baa75l54t";
    private const string FinalPageEvent = "6egnphrsf9aqj588m7t6bpd3ol";
    private const string BreakfastSeries = "5hni4sj3ql1669otmjg7sn1mok";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_StoresEveryPageThenAppliesCancellations_WhenGoogleListsThem(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google);
        Script(scene, Page1, FinalPage);
        await scene.SyncAsync();
        var afterFullRead = await scene.MeetingIdsAsync();
        var cancelled = JsonNode.Parse(SyncFixtures.Read("google", Cancelled))!;
        cancelled["items"]![0]!["id"] = FinalPageEvent;
        scene.Server.Answer(ReplayRoute.GoogleEvents, ProviderReplayServer.Json(cancelled.ToJsonString()));

        await scene.SyncAsync();

        Assert.Equal([Page1Event, FinalPageEvent], afterFullRead);
        Assert.Equal([Page1Event], await scene.MeetingIdsAsync());
        var requests = scene.Server.Requests(ReplayRoute.GoogleEvents);
        Assert.Contains("pageToken=", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("syncToken=CPjflvfe1YEDEPjflvfe1YEDGAUg0_uyjwI", requests[2].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("CK_HuMGmpYwDEK_HuMGmpYwDGAUg24mI4AI", (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_MakesOneCalendarRequestAndNoWrites_WhenTheCalendarIsUnchanged(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google);
        Script(scene, Page1, FinalPage);
        await scene.SyncAsync();
        var before = await scene.Host.ConnectionAsync(scene.ConnectionId);
        var tokenRequests = scene.Server.Count(ReplayRoute.GoogleToken);
        scene.Server.Answer(ReplayRoute.GoogleEvents, ProviderReplayServer.Json("""{"kind":"calendar#events","items":[],"nextSyncToken":"CPunchangedToken="}"""));
        // The interceptor sees the full read's writes, so an empty count below means no writes, not no counting.
        Assert.NotEmpty(scene.Host.Writes.Writes);
        scene.Host.Writes.Reset();

        await scene.SyncAsync();

        Assert.Equal(3, scene.Server.Count(ReplayRoute.GoogleEvents));
        Assert.Empty(scene.Host.Writes.Writes);
        Assert.Equal(before.Cursor, (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor);
        Assert.Equal([Page1Event, FinalPageEvent], await scene.MeetingIdsAsync());

        // The access token is cached between reads: no token request either.
        Assert.Equal(tokenRequests, scene.Server.Count(ReplayRoute.GoogleToken));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_EndsWithExactlyTheProvidersEvents_WhenKilledBetweenPagesAndRunAgain(string database)
    {
        // A full read sweeps only its window: the host's clock stands where the swept series (February–March 2025) is inside it.
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: new FakeTimeProvider(new DateTimeOffset(2025, 3, 20, 9, 0, 0, TimeSpan.Zero)));
        Script(scene, FinalPage);
        await scene.SyncAsync();
        Script(scene, CancelledInstance);
        await scene.SyncAsync();
        scene.Server.Answer(ReplayRoute.GoogleEvents, ProviderReplayServer.Json(SyncFixtures.Read("google", "google-error-410-fullsyncrequired.json"), 410));
        Script(scene, Page1);
        using var kill = new CancellationTokenSource();
        scene.Server.Answer(ReplayRoute.GoogleEvents, async (_, aborted) =>
        {
            // The worker dies while page 2 is on the wire.
            await kill.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return ProviderReplayServer.Json(SyncFixtures.Read("google", FinalPage));
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scene.SyncAsync(kill.Token));
        var afterKill = await scene.MeetingIdsAsync();
        Script(scene, FinalPage);

        await scene.SyncAsync();

        // Page 1 of the full read was saved before the kill; the series the provider no longer lists is swept at the end.
        Assert.Equal([Page1Event, BreakfastSeries, FinalPageEvent], afterKill);
        Assert.Equal([Page1Event, FinalPageEvent], await scene.MeetingIdsAsync());
        Assert.Contains("pageToken=", scene.Server.Requests(ReplayRoute.GoogleEvents)[^1].PathAndQuery, StringComparison.Ordinal);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Null(connection.FullReadId);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
    }

    private static void Script(SyncScene scene, params string[] pages)
    {
        foreach (var page in pages)
        {
            scene.Server.Answer(ReplayRoute.GoogleEvents, ProviderReplayServer.Json(SyncFixtures.Read("google", page)));
        }
    }
}
