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
/// The weekly report's numbers for every leader, timed in the same run and checked to agree minute for
/// minute: as the report round computes them (<c>SendWeeklyReportBatchJob</c>: <see cref="LeaderWeeks.ScoreManyAsync"/>,
/// Jobs:ReportBatchSize leaders a batch), as a single leader's job does (<c>SendWeeklyReportJob</c>, used for an
/// admin's resend and a failed leader's retry), and as one SQL query.
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
        await BatchedPathAsync(db, db.LeaderIds.Take(2 * BatchSize).ToArray(), first, last, 1);
        await SqlPathAsync(db, first, last);

        var batched = Stopwatch.StartNew();
        var batchedAggregates = await BatchedPathAsync(db, db.LeaderIds, first, last, _options.Parallel);
        batched.Stop();
        var sql = Stopwatch.StartNew();
        var sqlAggregates = await SqlPathAsync(db, first, last);
        sql.Stop();
        var app = Stopwatch.StartNew();
        var appAggregates = await AppPathAsync(db, db.LeaderIds, first, last, _options.Parallel);
        app.Stop();

        CheckReport.Measure($"report round (ScoreManyAsync, {BatchSize} leaders a batch, {_options.Parallel} at a time)", $"{batched.Elapsed.TotalSeconds:0.00} s ({batched.Elapsed.TotalMilliseconds / _options.Leaders:0.000} ms per leader)");
        CheckReport.Measure("one SQL query", $"{sql.Elapsed.TotalSeconds:0.00} s");
        CheckReport.Measure($"single leader's job (LeaderWeeks per leader, {_options.Parallel} at a time)", $"{app.Elapsed.TotalSeconds:0.00} s ({app.Elapsed.TotalMilliseconds / _options.Leaders:0.00} ms per leader)");
        var batchedMismatches = Mismatches(batchedAggregates, sqlAggregates);
        report.Check("report round and SQL give the same minutes per leader, week and category", batchedMismatches == 0 && batchedAggregates.Count > 0,
            $"{batchedAggregates.Count} (leader, week, category) totals, {batchedMismatches} differ");
        report.Check("single leader's job gives the same minutes", Mismatches(appAggregates, sqlAggregates) == 0, $"{Mismatches(appAggregates, sqlAggregates)} totals differ");
        var batchedRatio = batched.Elapsed / sql.Elapsed;
        report.Check("report round within 3x of the SQL query", batchedRatio <= 3, $"{batchedRatio:0.00}x");
        CheckReport.Measure("single leader's job vs the SQL query (no target)", $"{app.Elapsed / sql.Elapsed:0.0}x");
    }

    private static int Mismatches(Dictionary<(Guid, string, int), int> app, Dictionary<(Guid, string, int), int> sql) =>
        app.Count(p => sql.GetValueOrDefault(p.Key) != p.Value) + sql.Count(p => !app.ContainsKey(p.Key));

    // Jobs:ReportBatchSize's default: what SendDueReportsJob puts in one SendWeeklyReportBatchJob.
    private static readonly int BatchSize = new ExecutionTrap.Web.Jobs.JobsOptions().ReportBatchSize;

    private static async Task<Dictionary<(Guid, string, int), int>> BatchedPathAsync(AppDatabase db, Guid[] leaders, IsoWeek first, IsoWeek last, int parallel)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<(Guid, string, int), int>();
        await Parallel.ForEachAsync(leaders.Chunk(BatchSize), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (batch, token) =>
        {
            await using var scope = db.Services.CreateAsyncScope();
            var weeks = scope.ServiceProvider.GetRequiredService<LeaderWeeks>();
            foreach (var (context, scores) in await weeks.ScoreManyAsync(batch, first, last, token))
            {
                Record(results, context.Leader.Id, scores);
            }
        });
        return new Dictionary<(Guid, string, int), int>(results);
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
            Record(results, leaderId, await weeks.ScoreAsync(leaderId, context.Zone, first, last, token));
        });
        return new Dictionary<(Guid, string, int), int>(results);
    }

    // Every (leader, week, category) with scored minutes, the shape the SQL query returns.
    private static void Record(System.Collections.Concurrent.ConcurrentDictionary<(Guid, string, int), int> results, Guid leaderId, IEnumerable<WeekScore> scores)
    {
        foreach (var score in scores)
        {
            foreach (var (category, minutes) in score.MinutesByCategory.Where(p => p.Value > 0))
            {
                results[(leaderId, score.Week.ToString(), (int)category)] = minutes;
            }
        }
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
