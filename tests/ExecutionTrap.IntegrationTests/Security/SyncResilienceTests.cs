using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Sync;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Leaders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Issue 12, "no calendar takes a worker down" (storage side): an event the database cannot hold as listed, a page
/// of thousands of occurrences, a failure that is ours and Google's rate limits, each through the real sync job,
/// the real Google client against the replay server, and a real SQLite or PostgreSQL database.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class SyncResilienceTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Databases => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RunAsync_StoresTheRestAndCountsWhatItSkips_WhenEventsCannotBeStoredAsListed(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: new FakeTimeProvider(Now));
        // 22001 on PostgreSQL: the ProviderId column holds 512 characters.
        var longUid = "uid-" + new string('x', 596);
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page(
            "sync-1",
            GoogleEvents.Event("plain-1", "Weekly status", Now.AddDays(-3)),
            GoogleEvents.Event(longUid, "Quarterly planning", Now.AddDays(-2)),
            // 22021 on PostgreSQL: text cannot hold U+0000.
            GoogleEvents.Event("nul-title", "Board\0 review", Now.AddDays(-1)),
            // Readable by the calendar, but before the first instant a database timestamp holds: cannot be stored at all.
            GoogleEvents.Event("year-one", "Lost in time", "0001-01-01T00:30:00+01:00", "0001-01-01T01:30:00+01:00")));

        await scene.SyncAsync();
        var afterFirst = await scene.Host.MeetingsAsync(scene.ConnectionId);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        var view = LeaderConnections.ToView(connection, next: null);

        // The next round still lands: the over-long UID's change finds its stored row, the cancellation removes.
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page(
            "sync-2",
            GoogleEvents.Event(longUid, "Quarterly planning (moved)", Now.AddDays(-2)),
            GoogleEvents.Cancelled("nul-title"),
            GoogleEvents.Event("plain-2", "1:1 with Sam", Now.AddDays(1))));
        await scene.SyncAsync();
        var afterSecond = await scene.Host.MeetingsAsync(scene.ConnectionId);

        var hashedUid = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longUid)));
        Assert.Equal(["nul-title", "plain-1", hashedUid], afterFirst.Select(m => m.ProviderId));
        Assert.Equal("Board review", afterFirst.Single(m => m.ProviderId == "nul-title").Title);
        Assert.Equal(1, connection.SkippedEvents);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Equal("connected", view.Status);
        Assert.Equal("1 event could not be read and was skipped; the rest of the calendar is up to date.", view.Skipped);
        Assert.Equal(["plain-1", "plain-2", hashedUid], afterSecond.Select(m => m.ProviderId));
        Assert.Equal("Quarterly planning (moved)", afterSecond.Single(m => m.ProviderId == hashedUid).Title);
        Assert.Contains("syncToken=sync-1", scene.Server.Requests(ReplayRoute.GoogleEvents)[1].PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("sync:sync-2", (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RunAsync_StoresTheOddEventsCleaned_WhenMicrosoftListsThem(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Microsoft, time: new FakeTimeProvider(Now));
        var longId = "AAMk" + new string('Q', 596) + "=";
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(GraphPage(
            scene,
            "R0usmcFirst",
            GraphEvent("AAMkPlain=", "Weekly status", Now.AddDays(-3)),
            GraphEvent(longId, "Quarterly planning", Now.AddDays(-2)),
            GraphEvent("AAMkNul=", "Board\0 review", Now.AddDays(-1)))));
        await scene.SyncAsync();
        var afterFirst = await scene.Host.MeetingsAsync(scene.ConnectionId);
        scene.Server.Answer(ReplayRoute.Graph, ProviderReplayServer.Json(GraphPage(
            scene,
            "R0usmcSecond",
            GraphEvent(longId, "Quarterly planning (moved)", Now.AddDays(-2)),
            new JsonObject { ["id"] = "AAMkNul=", ["@removed"] = new JsonObject { ["reason"] = "deleted" } })));

        await scene.SyncAsync();

        var hashedId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longId)));
        Assert.Equal(["AAMkNul=", "AAMkPlain=", hashedId], afterFirst.Select(m => m.ProviderId));
        Assert.Equal("Board review", afterFirst.Single(m => m.ProviderId == "AAMkNul=").Title);
        var afterSecond = await scene.Host.MeetingsAsync(scene.ConnectionId);
        Assert.Equal(["AAMkPlain=", hashedId], afterSecond.Select(m => m.ProviderId));
        Assert.Equal("Quarterly planning (moved)", afterSecond.Single(m => m.ProviderId == hashedId).Title);
        Assert.Contains("R0usmcSecond", (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RunAsync_WritesThePageWithoutTheEvent_WhenTheDatabaseStillRefusesOne(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: new FakeTimeProvider(Now));
        // A refusal no cleaning foresees (a data exception raised by the database itself), for one title only.
        await RefuseTitleAsync(scene, database, "Poison");
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page(
            "sync-1",
            GoogleEvents.Event("before", "Weekly status", Now.AddDays(-3)),
            GoogleEvents.Event("refused", "Poison", Now.AddDays(-2)),
            GoogleEvents.Event("after", "Roadmap review", Now.AddDays(-1))));

        await scene.SyncAsync();
        var afterFirst = await scene.MeetingIdsAsync();
        var skipped = (await scene.Host.ConnectionAsync(scene.ConnectionId)).SkippedEvents;
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page("sync-2", GoogleEvents.Event("later", "1:1 with Sam", Now.AddDays(1))));
        await scene.SyncAsync();

        Assert.Equal(["after", "before"], afterFirst);
        Assert.Equal(1, skipped);
        Assert.Equal(["after", "before", "later"], await scene.MeetingIdsAsync());
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal("sync:sync-2", connection.Cursor);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
    }

    [Theory]
    [InlineData("Sqlite", 3000)] // EF Core 10 sends each id of a Contains as its own parameter: 3,000 would pass SQLite's limit in one command
    [InlineData("PostgreSql", 3000)]
    public async Task RunAsync_StoresEveryOccurrence_WhenOnePageListsThousands(string database, int count)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: new FakeTimeProvider(Now));
        var items = Enumerable.Range(0, count)
            .Select(i => GoogleEvents.Event($"minutely-{i:D5}", "Stand-up", Now.AddDays(-7).AddMinutes(i), minutes: 1))
            .ToArray();
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page("sync-1", items));

        await scene.SyncAsync();

        Assert.Equal(count, (await scene.MeetingIdsAsync()).Length);
        var connection = await scene.Host.ConnectionAsync(scene.ConnectionId);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.Equal(0, connection.SkippedEvents);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RunAsync_ShowsTheFailureOnTheConnection_WhenItIsNotTheProvidersError(string database)
    {
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: new FakeTimeProvider(Now));
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page("sync-1", GoogleEvents.Event("plain-1", "Weekly status", Now.AddDays(-1))));
        // Our own storage fails under the first sync (as "too many SQL variables" did): no provider is at fault.
        await RenameMeetingsAsync(scene, "Meetings", "MeetingsAway");

        await Assert.ThrowsAnyAsync<Exception>(() => scene.SyncAsync());
        var failed = await scene.Host.ConnectionAsync(scene.ConnectionId);
        var failedView = LeaderConnections.ToView(failed, next: null);
        await RenameMeetingsAsync(scene, "MeetingsAway", "Meetings");
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page("sync-1", GoogleEvents.Event("plain-1", "Weekly status", Now.AddDays(-1))));
        await scene.SyncAsync();
        var recovered = LeaderConnections.ToView(await scene.Host.ConnectionAsync(scene.ConnectionId), next: null);

        Assert.Equal(ConnectionStatus.Error, failed.Status);
        Assert.Equal(SyncConnectionJob.OwnFailureMessage, failed.LastError);
        Assert.Equal("sync failed", failedView.Status);
        Assert.Contains("on our side", failedView.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Meetings", failedView.Problem, StringComparison.Ordinal);
        Assert.False(failedView.CanReconnect);
        var operatorLine = Assert.Single(scene.Host.Logs.Lines, l => l.Contains("not a provider error", StringComparison.Ordinal));
        Assert.Contains("Meetings", operatorLine, StringComparison.Ordinal);
        Assert.All(scene.Host.Logs.Lines, l => Assert.DoesNotContain(SyncScene.RefreshToken, l, StringComparison.Ordinal));
        Assert.Equal("connected", recovered.Status);
        Assert.Null(recovered.Problem);
    }

    /// <summary>Google's rate limits, waited on the host's clock: nothing here sleeps for the seconds it measures.</summary>
    [Theory]
    [InlineData("Sqlite", 429, "3", 3.0, 3.3)] // Retry-After is honoured, above the back-off's 1–2 s
    [InlineData("PostgreSql", 429, "3", 3.0, 3.3)]
    [InlineData("Sqlite", 403, null, 1.0, 2.3)] // rateLimitExceeded: 1 s plus up to 1,000 random ms, though the configured base is 5 ms
    [InlineData("Sqlite", 429, null, 1.0, 2.3)]
    public async Task RunAsync_WaitsOnTheClock_WhenGoogleRateLimits(string database, int status, string? retryAfter, double atLeastSeconds, double atMostSeconds)
    {
        var clock = new FakeTimeProvider(Now);
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: clock);
        var arrivals = new ConcurrentQueue<DateTimeOffset>();
        var limited = new ProviderAnswer(
            status,
            SyncFixtures.Read("google", "google-error-403-ratelimitexceeded.json"),
            retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });
        scene.Server.Answer(ReplayRoute.GoogleEvents, (_, _) =>
        {
            arrivals.Enqueue(clock.GetUtcNow());
            return Task.FromResult(limited);
        });
        scene.Server.Answer(ReplayRoute.GoogleEvents, (_, _) =>
        {
            arrivals.Enqueue(clock.GetUtcNow());
            return Task.FromResult(GoogleEvents.Page("sync-1", GoogleEvents.Event("plain-1", "Weekly status", Now.AddDays(-1))));
        });

        var sync = scene.SyncAsync();
        var real = Stopwatch.StartNew();
        while (!sync.IsCompleted)
        {
            // The clock moves only while the job is in its back-off (logged just before it waits).
            if (arrivals.Count == 1 && scene.Host.Logs.Lines.Any(l => l.Contains("retrying in", StringComparison.Ordinal)))
            {
                clock.Advance(TimeSpan.FromMilliseconds(50));
            }

            Assert.True(real.Elapsed < TimeSpan.FromSeconds(60), "the sync never finished");
            await Task.Delay(5);
        }

        await sync;

        var times = arrivals.ToArray();
        Assert.Equal(2, times.Length);
        Assert.InRange((times[1] - times[0]).TotalSeconds, atLeastSeconds, atMostSeconds);
        Assert.Equal(["plain-1"], await scene.MeetingIdsAsync());
    }

    /// <summary>A last delta page in the shape of the recorded fixture, its delta link on the replay server.</summary>
    private static string GraphPage(SyncScene scene, string deltaToken, params JsonObject[] events) => new JsonObject
    {
        ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
        ["@odata.deltaLink"] = scene.Server.GraphBaseUrl + "/me/calendarView/delta?$deltatoken=" + deltaToken,
        ["value"] = new JsonArray([.. events]),
    }.ToJsonString();

    private static JsonObject GraphEvent(string id, string subject, DateTimeOffset start)
    {
        var graphTime = (DateTimeOffset t) => new JsonObject { ["dateTime"] = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture), ["timeZone"] = "UTC" };
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.event",
            ["id"] = id,
            ["subject"] = subject,
            ["start"] = graphTime(start),
            ["end"] = graphTime(start.AddHours(1)),
            ["attendees"] = new JsonArray(),
            ["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = "Dana Leader", ["address"] = "dana@contoso.example" } },
        };
    }

    private static async Task RefuseTitleAsync(SyncScene scene, string database, string title)
    {
        Assert.Equal("Poison", title);
        await using var scope = scene.Host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        if (database == "Sqlite")
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER refuse_poison BEFORE INSERT ON "Meetings" WHEN NEW."Title" = 'Poison'
                BEGIN SELECT RAISE(ABORT, 'refused'); END;
                """);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW."Title" = 'Poison' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END IF;
                    RETURN NEW;
                END $$;
                """);
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TRIGGER refuse_poison BEFORE INSERT ON "Meetings" FOR EACH ROW EXECUTE FUNCTION refuse_poison();
                """);
        }
    }

    private static async Task RenameMeetingsAsync(SyncScene scene, string from, string to)
    {
        await using var scope = scene.Host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var sql = from == "Meetings" ? """ALTER TABLE "Meetings" RENAME TO "MeetingsAway" """ : """ALTER TABLE "MeetingsAway" RENAME TO "Meetings" """;
        Assert.Equal(to, from == "Meetings" ? "MeetingsAway" : "Meetings");
        await db.Database.ExecuteSqlRawAsync(sql);
    }
}
