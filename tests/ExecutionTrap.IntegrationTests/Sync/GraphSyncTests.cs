using System.Text.Json.Nodes;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Storage.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>Microsoft 365 through <c>SyncConnectionJob</c>, the real Graph SDK and a real database.</summary>
[Collection(PostgresGroup.Name)]
public sealed class GraphSyncTests(PostgresServer postgres)
{
    private const string Page1 = "graph-calendarview-delta-page1-nextlink.json";
    private const string Page2 = "graph-calendarview-delta-page2-nextlink.json";
    private const string Page3 = "graph-calendarview-delta-page3-final-deltalink.json";
    private const string NextRound = "graph-calendarview-delta-nextround-removed-deltalink.json";

    // The events of the three fixture pages, sorted as the store returns them.
    private static readonly string[] AllFivePages = ["AAMkADNVxRAAA=", "AAMkADVxSAAA=", "AAMkADVxTAAA=", "AAMkADVxUAAA=", "AAMkADj1HuAAA="];

    /// <summary>A clock whose sync window (8 weeks back, 2 ahead) holds every event of the fixtures, dated 9–25 December 2016.</summary>
    private static FakeTimeProvider FixtureTime() => new(new DateTimeOffset(2016, 12, 12, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_StoresEveryPageAndKeepsTheDeltaLink_WhenGraphPagesWithNextLinks(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);

        await scene.SyncAsync();

        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
        var requests = scene.Server.Requests(ReplayRoute.Graph);
        Assert.Equal(3, requests.Count);
        Assert.StartsWith("/v1.0/me/calendarView/delta()?", requests[0].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("$skiptoken=R0usmcCM996atia_s", requests[1].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("$skiptoken=R0usmci39OQxqJrxK4", requests[2].PathAndQuery, StringComparison.Ordinal);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Contains("$deltatoken=R0usmcMDNGg0J1E", connection.Cursor, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Null(connection.FullReadId);
        Assert.All(await scene.Host.MeetingsAsync(scene.ConnectionId), m => Assert.NotEqual("", m.DecidedBy));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_AppliesChangesAndRemovals_WhenTheNextRoundHasThem(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        var nextRound = JsonNode.Parse(scene.Server.GraphFixture(NextRound))!;
        nextRound["value"]![0]!["id"] = "AAMkADVxTAAA=";
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(nextRound.ToJsonString()));

        await scene.SyncAsync();

        Assert.Equal(["AAMkADNVxRAAA=", "AAMkADVxSAAA=", "AAMkADVxUAAA=", "AAMkADj1HuAAA=", "AAMkADj1HvAAA="], await scene.MeetingIdsAsync());
        Assert.Contains("$deltatoken=R0usmcMDNGg0J1E", scene.Server.Requests(ReplayRoute.Graph)[3].PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("$deltatoken=R0usmcFuQtZdtpk4", (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_EndsExactlyAsTheProvider_WhenGraphForgetsTheDeltaToken(string database)
    {
        // A full read sweeps only its window: the host's clock stands in the fixtures' December 2016.
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft, time: FixtureTime());
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(SyncFixtures.Read("graph", "graph-error-410-syncstatenotfound.json"), 410));
        // The provider's calendar is now pages 1 and 3 only: the events of page 2 are gone.
        ScriptFullRead(scene, Page1, Page3);

        await scene.SyncAsync();

        Assert.Equal(["AAMkADNVxRAAA=", "AAMkADVxSAAA=", "AAMkADj1HuAAA="], await scene.MeetingIdsAsync());
        var requests = scene.Server.Requests(ReplayRoute.Graph);
        Assert.Contains("$deltatoken=R0usmcMDNGg0J1E", requests[3].PathAndQuery, StringComparison.Ordinal);
        Assert.StartsWith("/v1.0/me/calendarView/delta()?", requests[4].PathAndQuery, StringComparison.Ordinal);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Null(connection.LastError);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_WaitsAsLongAsRetryAfterSays_WhenGraphThrottles(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(scene.Server.GraphFixture(Page1)));
        scene.Server.Answer(ReplayRoute.Graph, new ProviderAnswer(
            429,
            SyncFixtures.Read("graph", "graph-error-429-toomanyrequests.json"),
            new Dictionary<string, string> { ["Retry-After"] = "1" }));
        ScriptFullRead(scene, Page2, Page3);

        await scene.SyncAsync();

        var requests = scene.Server.Requests(ReplayRoute.Graph);
        Assert.Equal(4, requests.Count);
        Assert.Equal(requests[1].PathAndQuery, requests[2].PathAndQuery);
        // The back-off base delay is 10 ms: only Retry-After explains a wait of a second.
        Assert.InRange(requests[2].At - requests[1].At, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(10));
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_RetriesThePage_WhenGraphAnswersOne5xx(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1);
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json("""{"error":{"code":"UnknownError","message":""}}""", 503));
        ScriptFullRead(scene, Page2, Page3);

        await scene.SyncAsync();

        Assert.Equal(4, scene.Server.Count(ReplayRoute.Graph));
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
        Assert.Equal(ConnectionStatus.Active, (await scene.Host.ConnectionAsync(scene.ConnectionId)).Status);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_ShowsTheOutageAndKeepsMeetings_WhenGraphKeepsFailingWith5xx(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        var cursor = (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor;
        ScriptOutage(scene);

        var error = await Assert.ThrowsAsync<CalendarSourceException>(() => scene.SyncAsync());

        // Thrown again so that Hangfire retries the job later; the connection shows why meanwhile.
        Assert.Equal(CalendarErrorKind.ProviderUnavailable, error.Kind);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Error, connection.Status);
        Assert.Contains("503", connection.LastError, StringComparison.Ordinal);
        Assert.Equal(cursor, connection.Cursor);
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_ShowsAClearErrorAndKeepsMeetings_WhenAPageIsMalformed(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        var cursor = (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor;
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json("""{"@odata.context":"x","value":[{"id":"AAMkADVxTAAA=","subject":"Get fo"""));

        await scene.SyncAsync();

        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Error, connection.Status);
        Assert.Equal(CalendarErrorKind.BadData, connection.LastErrorKind);
        Assert.StartsWith("Microsoft Graph returned a malformed page:", connection.LastError, StringComparison.Ordinal);
        Assert.Equal(cursor, connection.Cursor);
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_ClearsTheError_WhenTheNextRoundSucceeds(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json("<html><body>proxy error</body></html>"));
        await scene.SyncAsync();
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(scene.Server.GraphFixture(NextRound)));

        await scene.SyncAsync();

        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Null(connection.LastError);
        string[] expected = [.. AllFivePages, "AAMkADj1HvAAA="];
        Assert.Equal(expected, await scene.MeetingIdsAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_StoresAndClassifiesTheEvent_WhenItsSubjectIsNull(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        var page = JsonNode.Parse(scene.Server.GraphFixture(Page3))!;
        page["value"]![0]!["subject"] = null;
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(page.ToJsonString()));

        await scene.SyncAsync();

        var meeting = Assert.Single(await scene.Host.MeetingsAsync(scene.ConnectionId));
        Assert.Equal("(no title)", meeting.Title);
        Assert.NotEqual("", meeting.DecidedBy);
        Assert.Equal(ConnectionStatus.Active, (await scene.Host.ConnectionAsync(scene.ConnectionId)).Status);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_MakesOneRequestAndNoWrites_WhenTheCalendarIsUnchanged(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        var before = await scene.Host.ConnectionAsync(scene.ConnectionId);
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(scene.Server.MoveGraphLinks(
            """{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Collection(event)","value":[],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmcUnchanged"}""")));
        // The interceptor sees the full read's writes, so an empty count below means no writes, not no counting.
        Assert.NotEmpty(scene.Host.Writes.Writes);
        scene.Host.Writes.Reset();

        await scene.SyncAsync();

        Assert.Equal(4, scene.Server.Count(ReplayRoute.Graph));
        Assert.Equal(1, scene.Server.Count(ReplayRoute.MicrosoftToken));
        Assert.Empty(scene.Host.Writes.Writes);
        Assert.Equal(before.Cursor, (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor);
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_EndsWithExactlyTheProvidersEvents_WhenKilledBetweenPagesAndRunAgain(string database)
    {
        // A full read sweeps only its window: the host's clock stands in the fixtures' December 2016.
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft, time: FixtureTime());
        ScriptFullRead(scene, Page1, Page3);
        await scene.SyncAsync();
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(scene.Server.GraphFixture(NextRound)));
        await scene.SyncAsync();
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(SyncFixtures.Read("graph", "graph-error-410-syncstatenotfound.json"), 410));
        using var kill = new CancellationTokenSource();
        ScriptFullRead(scene, Page1);
        scene.Server.Answer(ReplayRoute.Graph, async (_, aborted) =>
        {
            // The worker dies while page 2 is on the wire.
            await kill.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(30), aborted);
            return ProviderReplayServer.Json(scene.Server.GraphFixture(Page2));
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scene.SyncAsync(kill.Token));
        var afterKill = await scene.MeetingIdsAsync();
        ScriptFullRead(scene, Page2, Page3);

        await scene.SyncAsync();

        // Killed after page 1 of the full read: page 1 was saved, the stale event not yet swept.
        Assert.Equal(["AAMkADNVxRAAA=", "AAMkADVxSAAA=", "AAMkADj1HuAAA=", "AAMkADj1HvAAA="], afterKill);
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
        Assert.Contains("$skiptoken=R0usmcCM996atia_s", scene.Server.Requests(ReplayRoute.Graph)[^2].PathAndQuery, StringComparison.Ordinal);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Null(connection.FullReadId);
        Assert.Contains("$deltatoken=R0usmcMDNGg0J1E", connection.Cursor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAsync_LeavesTheConnectionAlone_WhenAnotherWorkerIsSyncingIt(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page3);
        await using var otherWorker = scene.Host.Host.Services.CreateAsyncScope();
        var held = await otherWorker.ServiceProvider.GetRequiredService<ConnectionSyncLock>().TryAcquireAsync(scene.ConnectionId, CancellationToken.None);
        Assert.NotNull(held);

        await scene.SyncAsync();
        var whileHeld = scene.Server.Count(ReplayRoute.Graph);
        await held.DisposeAsync();
        await scene.SyncAsync();

        Assert.Equal(0, whileHeld);
        Assert.Equal(1, scene.Server.Count(ReplayRoute.Graph));
        Assert.Equal(["AAMkADj1HuAAA="], await scene.MeetingIdsAsync());
    }

    // An unchanged round skips the page writer only for a healthy connection: after an outage the same empty
    // page must still clear the error.
    [Fact]
    public async Task RunAsync_ClearsTheError_WhenTheRoundAfterAnOutageHasNoChanges()
    {
        await using var scene = await SyncScene.StartAsync("Sqlite", postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        ScriptOutage(scene);

        await Assert.ThrowsAsync<CalendarSourceException>(() => scene.SyncAsync());
        var cursor = (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor;
        var empty = JsonNode.Parse(scene.Server.GraphFixture(NextRound))!;
        empty["value"] = new JsonArray();
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(empty.ToJsonString()));

        await scene.SyncAsync();

        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Null(connection.LastError);
        Assert.Equal(cursor, connection.Cursor);
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
    }

    // The round's batch: each connection as its own job would sync it, in its own scope; an id that is gone is skipped.
    [Fact]
    public async Task BatchJob_SyncsEachConnectionAsTheSingleJobWould()
    {
        await using var scene = await SyncScene.StartAsync("Sqlite", postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);

        await RunBatchAsync(scene, [Guid.NewGuid(), scene.ConnectionId, Guid.NewGuid()]);
        var afterFullRead = await scene.MeetingIdsAsync();
        var nextRound = JsonNode.Parse(scene.Server.GraphFixture(NextRound))!;
        nextRound["value"]![0]!["id"] = "AAMkADVxTAAA=";
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(nextRound.ToJsonString()));
        await RunBatchAsync(scene, [scene.ConnectionId]);

        Assert.Equal(AllFivePages, afterFullRead);
        Assert.Equal(["AAMkADNVxRAAA=", "AAMkADVxSAAA=", "AAMkADVxUAAA=", "AAMkADj1HuAAA=", "AAMkADj1HvAAA="], await scene.MeetingIdsAsync());
        Assert.Equal(4, scene.Server.Requests(ReplayRoute.Graph).Count);
        Assert.Contains("$deltatoken=R0usmcFuQtZdtpk4", (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchJob_HandsAConnectionWhoseProviderIsDownToAJobOfItsOwn_AndEndsNormally()
    {
        await using var scene = await SyncScene.StartAsync("Sqlite", postgres, CalendarProvider.Microsoft);
        ScriptFullRead(scene, Page1, Page2, Page3);
        await scene.SyncAsync();
        ScriptOutage(scene);

        await RunBatchAsync(scene, [scene.ConnectionId]);

        var retry = Assert.Single(
            scene.Host.Host.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().ScheduledJobs(0, 1000),
            j => j.Value.Job.Type == typeof(ExecutionTrap.Web.Jobs.SyncConnectionJob) && (Guid)j.Value.Job.Args[0] == scene.ConnectionId);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        Assert.InRange(retry.Value.EnqueueAt, now.AddSeconds(5), now.AddSeconds(35));
        Assert.Equal(ConnectionStatus.Error, (await scene.Host.ConnectionAsync(scene.ConnectionId)).Status);
        Assert.Equal(AllFivePages, await scene.MeetingIdsAsync());
    }

    private static async Task RunBatchAsync(SyncScene scene, Guid[] connectionIds)
    {
        await using var scope = scene.Host.Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExecutionTrap.Web.Jobs.SyncConnectionBatchJob>().RunAsync(connectionIds, CancellationToken.None);
    }

    // 503 on every attempt the app makes at one page: the sync gives up as ProviderUnavailable.
    private static void ScriptOutage(SyncScene scene)
    {
        for (var i = 0; i < 3; i++)
        {
            scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json("""{"error":{"code":"ServiceUnavailable","message":""}}""", 503));
        }
    }

    private static void ScriptFullRead(SyncScene scene, params string[] pages)
    {
        foreach (var page in pages)
        {
            scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(scene.Server.GraphFixture(page)));
        }
    }
}
