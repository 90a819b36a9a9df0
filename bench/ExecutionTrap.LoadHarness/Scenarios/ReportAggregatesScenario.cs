using System.Diagnostics;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.LoadHarness.Infrastructure;
using ExecutionTrap.LoadHarness.Provider;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Web.Weeks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ExecutionTrap.LoadHarness.Scenarios;

/// <summary>
/// The weekly report's numbers for every leader: through the app's code path (<see cref="LeaderWeeks"/>,
/// one leader at a time, as <c>SendWeeklyReportJob</c> does) and as one SQL query, timed in the same run,
/// and checked to agree minute for minute.
/// </summary>
internal sealed class ReportAggregatesScenario(HarnessRun run, CheckReport report)
{
    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata"];

    private readonly HarnessOptions _options = run.Options;

    public async Task RunAsync()
    {
        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var week = IsoWeek.Containing(now, DateTimeZone.Utc).Previous;
        var first = WeeklyReportBuilder.FirstTrendWeek(week);

        var last = week.Next;
        CheckReport.Section($"Weekly aggregates of {_options.Leaders} leaders, {_options.Events} meetings each, weeks {first} to {last}");
        await using var db = await AppDatabase.CreateAsync(run.Postgres, "report_aggregates");
        var seeding = Stopwatch.StartNew();
        var calendar = new SyntheticCalendar(_options.Leaders, _options.Events, _options.LeadersPerTenant, now);
        await db.SeedAsync(calendar, withSecrets: false, zoneOf: i => Zones[i % Zones.Length]);
        await SeedMeetingsAsync(db, first, _options.Events);
        CheckReport.Measure("seeded", $"{await db.ScalarAsync<long>("SELECT count(*) FROM \"Meetings\"")} meetings in {seeding.Elapsed.TotalSeconds:0.0} s");

        // One warm-up of each path, so neither pays for first-use compilation in the timing.
        await AppPathAsync(db, db.LeaderIds.Take(20).ToArray(), first, last, 1);
        await BatchedPathAsync(db, first, last);
        await SqlPathAsync(db, first, last);

        var app = Stopwatch.StartNew();
        var appAggregates = await AppPathAsync(db, db.LeaderIds, first, last, _options.Parallel);
        app.Stop();
        var batched = Stopwatch.StartNew();
        var batchedAggregates = await BatchedPathAsync(db, first, last);
        batched.Stop();
        var sql = Stopwatch.StartNew();
        var sqlAggregates = await SqlPathAsync(db, first, last);
        sql.Stop();

        var mismatches = appAggregates.Count(p => sqlAggregates.GetValueOrDefault(p.Key) != p.Value)
            + sqlAggregates.Count(p => !appAggregates.ContainsKey(p.Key));
        CheckReport.Measure($"app path (LeaderWeeks per leader, {_options.Parallel} at a time)", $"{app.Elapsed.TotalSeconds:0.00} s ({app.Elapsed.TotalMilliseconds / _options.Leaders:0.00} ms per leader)");
        CheckReport.Measure("one SQL query", $"{sql.Elapsed.TotalSeconds:0.00} s");
        report.Check("both paths give the same minutes per leader, week and category", mismatches == 0 && appAggregates.Count > 0,
            $"{appAggregates.Count} (leader, week, category) totals, {mismatches} differ");
        var ratio = app.Elapsed / sql.Elapsed;
        report.Check("app path (per leader, as SendWeeklyReportJob) within 3x of the SQL query", ratio <= 3, $"{ratio:0.0}x");
        var batchedMismatches = batchedAggregates.Count(p => appAggregates.GetValueOrDefault(p.Key) != p.Value)
            + appAggregates.Count(p => !batchedAggregates.ContainsKey(p.Key));
        CheckReport.Measure($"batched app path (LeaderWeeks.ScoreManyAsync, {BatchSize} leaders a query)", $"{batched.Elapsed.TotalSeconds:0.00} s");
        report.Check("batched app path gives the same minutes", batchedMismatches == 0, $"{batchedMismatches} totals differ");
        var batchedRatio = batched.Elapsed / sql.Elapsed;
        report.Check("batched app path within 3x of the SQL query", batchedRatio <= 3, $"{batchedRatio:0.0}x");
    }

    private const int BatchSize = 500;

    private static async Task<Dictionary<(Guid, string, int), int>> BatchedPathAsync(AppDatabase db, IsoWeek first, IsoWeek last)
    {
        var results = new Dictionary<(Guid, string, int), int>();
        foreach (var batch in db.LeaderIds.Chunk(BatchSize))
        {
            await using var scope = db.Services.CreateAsyncScope();
            var weeks = scope.ServiceProvider.GetRequiredService<LeaderWeeks>();
            foreach (var (context, scores) in await weeks.ScoreManyAsync(batch, first, last, CancellationToken.None))
            {
                foreach (var score in scores)
                {
                    foreach (var (category, minutes) in score.MinutesByCategory.Where(p => p.Value > 0))
                    {
                        results[(context.Leader.Id, score.Week.ToString(), (int)category)] = minutes;
                    }
                }
            }
        }

        return results;
    }

    // Meetings in one-hour weekday slots (never overlapping, so the app's overlap sharing and a plain SUM agree),
    // a tenth of them excluded and a twentieth corrected by the leader.
    private static Task<int> SeedMeetingsAsync(AppDatabase db, IsoWeek first, int events)
    {
        var firstMonday = first.Monday.AtMidnight().InUtc().ToDateTimeUtc();
        return db.ExecuteAsync(
            """
            INSERT INTO "Meetings" ("ConnectionId", "ProviderId", "Provider", "Title", "Start", "End", "IsAllDay", "ShowAs", "Response", "Kind",
              "IsCancelled", "AttendeeCount", "IsOrganizer", "IsRecurring", "IsPrivate", "HasExternalAttendees", "ProviderCategories",
              "Category", "Excluded", "Confidence", "Evidence", "DecidedBy", "CorrectedCategory", "UpdatedAt")
            SELECT c."Id", 'E' || g, @provider, 'Synthetic meeting',
              s.start, s.start + CASE WHEN g % 3 = 0 THEN interval '30 minutes' ELSE interval '60 minutes' END,
              false, 0, 0, 0, false, 4, false, false, false, false, '',
              CASE WHEN g % 10 = 9 THEN NULL ELSE (g + hashtext(c."Id"::text) & 1023) % 5 END,
              CASE WHEN g % 10 = 9 THEN 5 ELSE NULL END,
              0.8, '', 'load-harness',
              CASE WHEN g % 20 = 3 THEN 3 ELSE NULL END,
              now()
            FROM "Connections" c
            CROSS JOIN generate_series(0, @events - 1) g
            CROSS JOIN LATERAL (SELECT @firstMonday + make_interval(weeks => g % 9, days => (g / 9) % 5, hours => 8 + (g / 45) % 10) AS start) s
            """,
            ("provider", (int)CalendarProvider.Microsoft),
            ("events", events),
            ("firstMonday", firstMonday));
    }

    private static async Task<Dictionary<(Guid, string, int), int>> AppPathAsync(AppDatabase db, Guid[] leaders, IsoWeek first, IsoWeek last, int parallel)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<(Guid, string, int), int>();
        await Parallel.ForEachAsync(leaders, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (leaderId, token) =>
        {
            await using var scope = db.Services.CreateAsyncScope();
            var weeks = scope.ServiceProvider.GetRequiredService<LeaderWeeks>();
            var context = await weeks.LoadLeaderAsync(leaderId, token) ?? throw new HarnessException($"Leader {leaderId} is missing.");
            foreach (var score in await weeks.ScoreAsync(leaderId, context.Zone, first, last, token))
            {
                foreach (var (category, minutes) in score.MinutesByCategory.Where(p => p.Value > 0))
                {
                    results[(leaderId, score.Week.ToString(), (int)category)] = minutes;
                }
            }
        });
        return new Dictionary<(Guid, string, int), int>(results);
    }

    private static async Task<Dictionary<(Guid, string, int), int>> SqlPathAsync(AppDatabase db, IsoWeek first, IsoWeek last)
    {
        var rows = await db.RowsAsync(
            """
            SELECT c."LeaderId",
                   to_char(date_trunc('week', m."Start" AT TIME ZONE l."TimeZone"), 'IYYY-"W"IW'),
                   COALESCE(CASE WHEN m."Excluded" IS NULL THEN m."CorrectedCategory" END, m."Category") AS category,
                   round(sum(extract(epoch FROM m."End" - m."Start")) / 60)::int
            FROM "Meetings" m
            JOIN "Connections" c ON c."Id" = m."ConnectionId" AND c."Status" <> 3
            JOIN "Leaders" l ON l."Id" = c."LeaderId"
            WHERE m."Start" AT TIME ZONE l."TimeZone" >= @from AND m."Start" AT TIME ZONE l."TimeZone" < @to
              AND m."End" > m."Start"
              AND COALESCE(CASE WHEN m."Excluded" IS NULL THEN m."CorrectedCategory" END, m."Category") IS NOT NULL
            GROUP BY 1, 2, 3
            """,
            ("from", first.Monday.AtMidnight().ToDateTimeUnspecified()),
            ("to", last.Next.Monday.AtMidnight().ToDateTimeUnspecified()));
        return rows.ToDictionary(r => ((Guid)r[0], (string)r[1], (int)r[2]), r => (int)r[3]);
    }
}
