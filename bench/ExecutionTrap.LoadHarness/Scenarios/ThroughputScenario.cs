using System.Diagnostics;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.LoadHarness.Infrastructure;
using ExecutionTrap.LoadHarness.Provider;
using NodaTime;

namespace ExecutionTrap.LoadHarness.Scenarios;

/// <summary>
/// Full sync of every leader with one worker process, then with two (a fresh database each), then one
/// incremental round and the weekly report on the two-worker setup.
/// </summary>
internal sealed class ThroughputScenario(HarnessRun run, CheckReport report)
{
    private readonly HarnessOptions _options = run.Options;

    public async Task RunAsync()
    {
        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var calendar = new SyntheticCalendar(_options.Leaders, _options.Events, _options.LeadersPerTenant, now);
        await run.StartProviderAsync(calendar);
        await run.StartSmtpAsync();
        Console.WriteLine($"   {_options.Leaders} leaders x {_options.Events} events = {calendar.TotalEvents} events per full sync; {_options.WorkersPerProcess} Hangfire workers per process{(_options.CpusPerWorker > 0 ? $", each process confined to {_options.CpusPerWorker:0.##} CPU (cgroup quota)" : ", processes unconfined")}");

        var one = await FullSyncAsync(calendar, processes: 1, then: null);
        var two = await FullSyncAsync(calendar, processes: 2, then: (db, full, workers) => IncrementalAndReportAsync(calendar, db, full, workers, now));

        CheckReport.Section("Scaling");
        var ratio = two.EventsPerSecond / one.EventsPerSecond;
        CheckReport.Measure("events/s, 1 worker process", $"{one.EventsPerSecond:0}");
        CheckReport.Measure("events/s, 2 worker processes", $"{two.EventsPerSecond:0}");
        var latencyOn = _options.LatencyMaxMs > 0;
        report.Check("2 workers vs 1 (target >= 1.6x with provider latency on)", latencyOn && ratio >= 1.6, $"{ratio:0.00}x{(latencyOn ? "" : " (latency off: not comparable to the target)")}");
    }

    private async Task<FullSync> FullSyncAsync(SyntheticCalendar calendar, int processes, Func<AppDatabase, FullSync, IReadOnlyList<WorkerProcess>, Task>? then)
    {
        CheckReport.Section($"Full sync, {processes} worker process{(processes == 1 ? "" : "es")}");
        await using var db = await AppDatabase.CreateAsync(run.Postgres, $"throughput_{processes}");
        var seeding = Stopwatch.StartNew();
        await db.SeedAsync(calendar);
        CheckReport.Measure("seeded leaders and calendars", $"{calendar.Leaders} in {seeding.Elapsed.TotalSeconds:0.0} s");

        var workers = await run.StartWorkersAsync(db, $"sync{processes}", processes);
        run.Provider!.ResetCounters();
        var cpu = CpuReading.Take(run.Postgres, workers);
        var stopwatch = Stopwatch.StartNew();
        var ids = db.EnqueueSyncBatches(db.ConnectionIds);
        CheckReport.Measure("enqueued sync batch jobs", $"{ids.Count} in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        var outcome = await run.WaitForJobsAsync(db, ids, "sync", stopwatch);
        var used = CpuReading.Take(run.Postgres, workers).Minus(cpu);

        var stored = await StoredMeetings.ReadAsync(db, calendar.EventsPerLeader);
        var timings = await HarnessRun.JobTimingsAsync(db, ids);
        var eventsPerSecond = stored.Distinct / outcome.Elapsed.TotalSeconds;
        var name = $"full sync x{processes}";
        report.Check($"{name}: every job succeeded", outcome.Succeeded == outcome.Total && !outcome.TimedOut, outcome.ToString());
        report.Check($"{name}: every event stored exactly once", stored.Total == calendar.TotalEvents && stored.Duplicates == 0 && stored.ConnectionsWithWrongCount == 0,
            $"{stored.Total} stored of {calendar.TotalEvents}, {stored.Duplicates} duplicates, {stored.ConnectionsWithWrongCount} calendars with a wrong count");
        report.Check($"{name}: every calendar read to its delta link", stored.ConnectionsCompleted == stored.Connections, $"{stored.ConnectionsCompleted} of {stored.Connections}");
        CheckReport.Measure("wall time", $"{outcome.Elapsed.TotalSeconds:0.0} s");
        CheckReport.Measure("events/s", $"{eventsPerSecond:0}");
        CheckReport.Measure("batch job run time p50 / p95 / max", $"{timings.RunP50:0} / {timings.RunP95:0} / {timings.RunMax:0} ms ({ids.Count} batches)");
        CheckReport.Measure("batch job enqueue-to-done p95", $"{timings.EndToEndP95:0} ms");
        CheckReport.Measure("Graph requests / token requests / 429s", $"{run.Provider.GraphRequestsPerLeader().Sum()} / {run.Provider.TokenRequests} / {run.Provider.Throttled}");
        CheckReport.Measure("CPU: workers / PostgreSQL", used.Describe(outcome.Elapsed));
        CheckReport.Measure("CPU per 1,000 events stored", $"{1000 * used.Total / Math.Max(1, stored.Distinct):0.00} s");

        var result = new FullSync(outcome.Elapsed, eventsPerSecond, used);
        if (then is not null)
        {
            await then(db, result, workers);
        }

        foreach (var worker in workers)
        {
            CheckReport.Measure($"peak memory (VmHWM) {worker.Name}", $"{worker.PeakMemoryMiB():0} MiB");
        }

        CheckReport.Measure("database size", $"{await db.ScalarAsync<long>("SELECT pg_database_size(current_database())") / 1024.0 / 1024.0:0} MiB");
        await HarnessRun.StopWorkersAsync(workers);
        return result;
    }

    private async Task IncrementalAndReportAsync(SyntheticCalendar calendar, AppDatabase db, FullSync full, IReadOnlyList<WorkerProcess> workers, Instant now)
    {
        CheckReport.Section("Incremental round (nothing changed at the provider), 2 worker processes");
        await Task.Delay(WriteCounters.SettleTime);
        var before = await WriteCounters.ReadAsync(db);
        run.Provider!.ResetCounters();
        var cpu = CpuReading.Take(run.Postgres, workers);
        var stopwatch = Stopwatch.StartNew();
        var ids = db.EnqueueSyncBatches(db.ConnectionIds);
        var outcome = await run.WaitForJobsAsync(db, ids, "incremental", stopwatch);
        var used = CpuReading.Take(run.Postgres, workers).Minus(cpu);
        var timings = await HarnessRun.JobTimingsAsync(db, ids);
        await Task.Delay(WriteCounters.SettleTime);
        var writes = (await WriteCounters.ReadAsync(db)).Minus(before);
        var requests = run.Provider.GraphRequestsPerLeader();

        report.Check("incremental: every job succeeded", outcome.Succeeded == outcome.Total && !outcome.TimedOut, outcome.ToString());
        report.Check("incremental: exactly 1 Graph request per calendar", requests.All(r => r == 1),
            $"min {requests.Min()}, max {requests.Max()}, {requests.Count(r => r != 1)} calendars with another count; {run.Provider.TokenRequests} token requests");
        var dataRows = writes.Rows("Meetings") + writes.Rows("ReportDeliveries") + writes.Rows("Leaders") + writes.Rows("Organisations");
        report.Check("incremental: no meeting written", dataRows == 0, $"{writes.Rows("Meetings")} meeting rows inserted/updated/deleted");
        report.Check("incremental: no write to the app's tables", writes.Rows("Connections") == 0,
            $"{writes.Rows("Connections")} calendar rows updated; {writes.Commits} commits in all, nearly all Hangfire's own job bookkeeping");
        var share = outcome.Elapsed / full.Elapsed;
        report.Check("incremental: round time < 5% of the full sync", share < 0.05, $"{outcome.Elapsed.TotalSeconds:0.0} s = {share:P1} of {full.Elapsed.TotalSeconds:0.0} s");
        var cpuShare = used.Total / full.Cpu.Total;
        report.Check("incremental: round CPU < 5% of the full sync's", cpuShare < 0.05, $"{used.Total:0.0} s = {cpuShare:P1} of {full.Cpu.Total:0.0} s (workers and PostgreSQL)");
        CheckReport.Measure("CPU: workers / PostgreSQL", used.Describe(outcome.Elapsed));
        CheckReport.Measure("batch job run time p50 / p95", $"{timings.RunP50:0} / {timings.RunP95:0} ms ({ids.Count} batches)");

        CheckReport.Section("Weekly report for every leader, 2 worker processes");
        run.Smtp!.Clear();
        var week = IsoWeek.Containing(now, DateTimeZone.Utc).Previous.ToString();
        stopwatch.Restart();
        var reportIds = db.EnqueueWeeklyReportBatches(db.LeaderIds, week);
        var sent = await run.WaitForJobsAsync(db, reportIds, "reports", stopwatch);
        var reportTimings = await HarnessRun.JobTimingsAsync(db, reportIds);
        var received = run.Smtp.Received();
        var recipients = received.Select(r => r.To).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var messageIds = received.Select(r => r.MessageId).Distinct(StringComparer.Ordinal).Count();
        var deliveries = await db.ScalarAsync<long>("SELECT count(*) FROM \"ReportDeliveries\" WHERE \"Week\" = @week AND \"Status\" = 2", ("week", week));
        report.Check("reports: every batch job succeeded", sent.Succeeded == sent.Total && !sent.TimedOut, sent.ToString());
        report.Check($"reports: one email per leader for {week}", received.Count == calendar.Leaders && recipients == calendar.Leaders && messageIds == calendar.Leaders,
            $"{received.Count} received, {recipients} distinct recipients, {messageIds} distinct Message-Ids, {deliveries} deliveries marked sent, of {calendar.Leaders}");
        CheckReport.Measure("reports/s", $"{calendar.Leaders / sent.Elapsed.TotalSeconds:0.0}");
        CheckReport.Measure("report batch job run time p50 / p95", $"{reportTimings.RunP50:0} / {reportTimings.RunP95:0} ms ({reportIds.Count} batches)");
    }

    private sealed record FullSync(TimeSpan Elapsed, double EventsPerSecond, CpuReading Cpu);
}
