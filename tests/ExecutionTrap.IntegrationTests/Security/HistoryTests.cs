using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Sync;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Issue 12, "history kept": a full read removes only what it could have listed (its window), so the weeks before
/// the window and the leader's corrections stay; the retention setting and its nightly job bound what is kept.
/// Through the real sync job, the real Google client against the replay server and a real database.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class HistoryTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Sqlite", "410")] // Google forgot the sync token
    [InlineData("PostgreSql", "410")]
    [InlineData("Sqlite", "fresh")] // a read from scratch: the first sync again, as after a reconnect or a lost cursor
    [InlineData("PostgreSql", "fresh")]
    public async Task RunAsync_KeepsTheFirstWeeksAndTheirCorrections_WhenAFullReadComesTwentyWeeksLater(string database, string cause)
    {
        var clock = new FakeTimeProvider(Start);
        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: clock);
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page(
            "sync-1",
            GoogleEvents.Event("week1-status", "Weekly status", Start.AddDays(-3)),
            GoogleEvents.Event("week1-roadmap", "Roadmap review", Start.AddDays(-2)),
            GoogleEvents.Event("week2-hiring", "Hiring debrief", Start.AddDays(1))));
        await scene.SyncAsync();
        await CorrectAsync(scene, "week1-status", Category.Strategy);

        clock.Advance(TimeSpan.FromDays(7 * 20));
        var later = clock.GetUtcNow();
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page(
            "sync-2",
            GoogleEvents.Event("week21-bridge", "Incident bridge", later.AddDays(-1)),
            GoogleEvents.Event("week21-offsite", "Offsite planning", later.AddDays(2))));
        await scene.SyncAsync();
        if (cause == "410")
        {
            scene.Server.Answer(ReplayRoute.GoogleEvents, ProviderReplayServer.Json(SyncFixtures.Read("google", "google-error-410-fullsyncrequired.json"), 410));
        }
        else
        {
            await ForgetCursorAsync(scene);
        }

        // The full read lists only its window (8 weeks back): the bridge was deleted at Google since.
        scene.Server.Answer(ReplayRoute.GoogleEvents, GoogleEvents.Page("sync-3", GoogleEvents.Event("week21-offsite", "Offsite planning", later.AddDays(2))));

        await scene.SyncAsync();

        var meetings = await scene.Host.MeetingsAsync(scene.ConnectionId);
        Assert.Equal(["week1-roadmap", "week1-status", "week2-hiring", "week21-offsite"], meetings.Select(m => m.ProviderId));
        Assert.Equal(Category.Strategy, meetings.Single(m => m.ProviderId == "week1-status").CorrectedCategory);
        var fullRead = scene.Server.Requests(ReplayRoute.GoogleEvents)[^1].PathAndQuery;
        Assert.Contains("timeMin=" + Uri.EscapeDataString(later.AddDays(-7 * 8).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)), fullRead, StringComparison.Ordinal);
        Assert.Equal("sync:sync-3", (await scene.Host.ConnectionAsync(scene.ConnectionId)).Cursor);
    }

    [Theory]
    [InlineData("Sqlite", null, new[] { "12 months", "7 months", "5 months", "yesterday" })] // the default: 13 months
    [InlineData("PostgreSql", null, new[] { "12 months", "7 months", "5 months", "yesterday" })]
    [InlineData("Sqlite", "6", new[] { "5 months", "yesterday" })]
    [InlineData("PostgreSql", "6", new[] { "5 months", "yesterday" })]
    public async Task PurgeExpiredMeetingsJob_DeletesOnlyWhatIsOlderThanTheSetting(string database, string? months, string[] kept)
    {
        var now = new DateTimeOffset(2026, 12, 5, 2, 0, 0, TimeSpan.Zero);
        var settings = new Dictionary<string, string?> { ["Retention:PurgeCron"] = "17 3 * * *" };
        if (months is not null)
        {
            settings["Retention:Months"] = months;
        }

        await using var scene = await SyncScene.StartAsync(database, postgres, CalendarProvider.Google, time: new FakeTimeProvider(now), settings: settings);
        var ages = new Dictionary<string, DateTimeOffset>
        {
            ["14 months"] = now.AddMonths(-14),
            ["13 months and a day"] = now.AddMonths(-13).AddDays(-1),
            ["12 months"] = now.AddMonths(-12),
            ["7 months"] = now.AddMonths(-7),
            ["5 months"] = now.AddMonths(-5),
            ["yesterday"] = now.AddDays(-1),
        };
        await AddMeetingsAsync(scene, ages);

        await using (var scope = scene.Host.Host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PurgeExpiredMeetingsJob>().RunAsync(CancellationToken.None);
        }

        Assert.Equal(kept.Order(StringComparer.Ordinal), (await scene.MeetingIdsAsync()).Order(StringComparer.Ordinal));
        using var jobs = scene.Host.Host.Services.GetRequiredService<JobStorage>().GetConnection();
        var recurring = Assert.Single(jobs.GetRecurringJobs([PurgeExpiredMeetingsJob.Id]));
        Assert.Equal("17 3 * * *", recurring.Cron);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task MyDataDelete_RemovesEveryMeetingAtOnce_HistoryBeyondTheWindowIncluded(string database)
    {
        var settings = new Dictionary<string, string?>();
        if (database == "PostgreSql")
        {
            settings["Storage:Provider"] = "PostgreSql";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync("etrap_history");
        }

        await using var app = new Web.WebAppFactory(settings: settings);
        var leader = await app.SignInAsync("history@data.example");
        var connectionId = Guid.NewGuid();
        await app.WithDbAsync(async db =>
        {
            var leaderId = await db.Leaders.Where(l => l.Email == "history@data.example").Select(l => l.Id).SingleAsync();
            db.Connections.Add(new CalendarConnection { Id = connectionId, LeaderId = leaderId, Provider = CalendarProvider.Ics, Address = "https://calendar.example/dana.ics" });
            foreach (var (id, age) in new[] { ("three-years-ago", Duration.FromDays(3 * 365)), ("last-week", Duration.FromDays(7)) })
            {
                var end = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()) - age;
                db.Meetings.Add(new StoredMeeting { ConnectionId = connectionId, ProviderId = id, Provider = CalendarProvider.Ics, Title = "Weekly status", Start = end - Duration.FromHours(1), End = end, CorrectedCategory = Category.Strategy });
            }

            await db.SaveChangesAsync();
        });

        using var deleted = await Web.WebAppFactory.PostFormAsync(leader, "/my-data", "Delete", new() { ["confirm"] = "true" });

        Assert.Equal(System.Net.HttpStatusCode.Redirect, deleted.StatusCode);
        await app.WithDbAsync(async db =>
        {
            Assert.False(await db.Meetings.AnyAsync(m => m.ConnectionId == connectionId));
            Assert.False(await db.Connections.AnyAsync(c => c.Id == connectionId));
        });
    }

    private static async Task CorrectAsync(SyncScene scene, string providerId, Category category)
    {
        await using var scope = scene.Host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        await db.Meetings.Where(m => m.ConnectionId == scene.ConnectionId && m.ProviderId == providerId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.CorrectedCategory, category));
    }

    private static async Task ForgetCursorAsync(SyncScene scene)
    {
        await using var scope = scene.Host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        await db.Connections.Where(c => c.Id == scene.ConnectionId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Cursor, (string?)null));
    }

    private static async Task AddMeetingsAsync(SyncScene scene, Dictionary<string, DateTimeOffset> ends)
    {
        await using var scope = scene.Host.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        foreach (var (name, end) in ends)
        {
            var instant = Instant.FromDateTimeOffset(end);
            db.Meetings.Add(new StoredMeeting
            {
                ConnectionId = scene.ConnectionId,
                ProviderId = name,
                Provider = CalendarProvider.Google,
                Title = "Weekly status",
                Start = instant - Duration.FromHours(1),
                End = instant,
                UpdatedAt = instant,
            });
        }

        await db.SaveChangesAsync();
    }
}
