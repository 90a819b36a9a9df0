using System.Diagnostics;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.LoadHarness.Infrastructure;
using ExecutionTrap.LoadHarness.Provider;
using NodaTime;

namespace ExecutionTrap.LoadHarness.Scenarios;

/// <summary>
/// Two worker processes under four faults: one killed with SIGKILL mid-sync, PostgreSQL restarted
/// mid-sync, the SMTP server down while reports go out, and the provider answering 429 to part of
/// its requests. After each: nothing lost, nothing doubled, no job failed for good.
/// </summary>
internal sealed class FaultsScenario(HarnessRun run, CheckReport report)
{
    // A dead worker's jobs come back after the invisibility timeout, and a lock left by a state change the
    // restart cut off counts as abandoned after the lock timeout; both must outlast a healthy job (a few seconds here).
    private const int InvisibilitySeconds = 45;
    private const int LockTimeoutSeconds = 30;

    private readonly HarnessOptions _options = run.Options;

    public async Task RunAsync()
    {
        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var calendar = new SyntheticCalendar(_options.Leaders, _options.Events, _options.LeadersPerTenant, now);
        await run.StartProviderAsync(calendar);
        await run.StartSmtpAsync();
        Console.WriteLine($"   {_options.Leaders} leaders x {_options.Events} events, 2 worker processes x {_options.WorkersPerProcess} workers, invisibility timeout {InvisibilitySeconds} s, lock timeout {LockTimeoutSeconds} s");

        await KillWorkerAsync(calendar);
        await RestartPostgresThenSmtpOutageAsync(calendar, now);
        await ThrottledProviderAsync(calendar);
    }

    private async Task KillWorkerAsync(SyntheticCalendar calendar)
    {
        CheckReport.Section("kill -9 of a worker mid-sync");
        await using var db = await PrepareAsync(calendar, "faults_kill");
        var workers = await run.StartWorkersAsync(db, "kill", 2, InvisibilitySeconds, LockTimeoutSeconds);
        var stopwatch = Stopwatch.StartNew();
        var ids = db.EnqueueSyncs(db.ConnectionIds);
        var victim = workers[0];
        var inFlight = -1L;
        var outcome = await run.WaitForJobsAsync(db, ids, "sync", stopwatch, async progress =>
        {
            if (inFlight < 0 && progress.Succeeded >= progress.Total / 4)
            {
                inFlight = await ProcessingOnAsync(db, victim);
                await victim.KillHardAsync();
                Console.WriteLine($"   killed {victim.Name} (pid {victim.Pid}) with SIGKILL at {stopwatch.Elapsed.TotalSeconds:0.0} s holding {inFlight} running jobs");
            }
        });

        await CheckSyncAsync(db, calendar, outcome, "kill -9");
        report.Check("kill -9: the killed worker was mid-job", inFlight > 0, $"{inFlight} jobs were running on it");
        report.Check("kill -9: the other worker carried on", !workers[1].HasExited, workers[1].HasExited ? "it exited" : "alive");
        await HarnessRun.StopWorkersAsync(workers);
    }

    private async Task RestartPostgresThenSmtpOutageAsync(SyntheticCalendar calendar, Instant now)
    {
        CheckReport.Section("PostgreSQL restarted mid-sync (pg_ctl restart -m fast)");
        await using var db = await PrepareAsync(calendar, "faults_pg");
        var workers = await run.StartWorkersAsync(db, "pg", 2, InvisibilitySeconds, LockTimeoutSeconds);
        var stopwatch = Stopwatch.StartNew();
        var ids = db.EnqueueSyncs(db.ConnectionIds);
        DateTime? restartedAt = null;
        var restartedAfter = TimeSpan.Zero;
        var outcome = await run.WaitForJobsAsync(db, ids, "sync", stopwatch, async progress =>
        {
            if (restartedAt is null && progress.Succeeded >= progress.Total / 4)
            {
                await run.Postgres.RestartAsync();
                restartedAfter = stopwatch.Elapsed;
                restartedAt = await db.ScalarAsync<DateTime>("SELECT now() AT TIME ZONE 'UTC'");
                Console.WriteLine($"   PostgreSQL restarted at {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
        });

        await CheckSyncAsync(db, calendar, outcome, "PostgreSQL restart");
        var serversAfter = await db.ScalarAsync<long>(
            "SELECT count(DISTINCT s.data->>'ServerId') FROM hangfire.state s WHERE s.name = 'Processing' AND s.createdat > @at",
            ("at", restartedAt ?? DateTime.MaxValue));
        var heartbeats = await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE lastheartbeat > now() - interval '30 seconds'");
        report.Check("PostgreSQL restart: both workers recovered by themselves",
            workers.All(w => !w.HasExited) && serversAfter == 2 && heartbeats == 2,
            $"{workers.Count(w => !w.HasExited)} processes alive, {serversAfter} took jobs after the restart, {heartbeats} with a fresh heartbeat");
        CheckReport.Measure("Hangfire retries", $"{await HarnessRun.RetriesAsync(db, ids)}");

        // A state change cut off by the restart leaves Hangfire.PostgreSql's "job:N:state-lock" row behind; that
        // job waits until the lock counts as stale (Jobs:DistributedLockTimeoutSeconds).
        var recovery = outcome.Elapsed - restartedAfter;
        report.Check("PostgreSQL restart: every job done within 2 minutes of the restart", restartedAt is not null && recovery < TimeSpan.FromMinutes(2),
            $"the last job finished {recovery.TotalSeconds:0} s after the restart");

        CheckReport.Section($"SMTP server down for {_options.SmtpDownSeconds} s while the weekly reports go out");
        var smtp = run.Smtp!;
        smtp.Clear();
        await smtp.StopAsync();
        var week = IsoWeek.Containing(now, DateTimeZone.Utc).Previous.ToString();
        stopwatch.Restart();
        var reportIds = db.EnqueueWeeklyReports(db.LeaderIds, week);
        var restarted = false;
        var sent = await run.WaitForJobsAsync(db, reportIds, "reports", stopwatch, async _ =>
        {
            if (!restarted && stopwatch.Elapsed >= TimeSpan.FromSeconds(_options.SmtpDownSeconds))
            {
                restarted = true;
                await smtp.StartAgainAsync();
                Console.WriteLine($"   SMTP server back at {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
        });

        var received = smtp.Received();
        var recipients = received.Select(r => r.To).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var messageIds = received.Select(r => r.MessageId).Distinct(StringComparer.Ordinal).Count();
        var deliveries = await db.ScalarAsync<long>("SELECT count(*) FROM \"ReportDeliveries\" WHERE \"Week\" = @week AND \"Status\" = 2", ("week", week));
        var retries = await HarnessRun.RetriesAsync(db, reportIds);
        report.Check("SMTP outage: no report job failed for good", sent.Succeeded == sent.Total && !sent.TimedOut, sent.ToString());
        report.Check("SMTP outage: every email sent exactly once after it returned",
            received.Count == calendar.Leaders && recipients == calendar.Leaders && messageIds == calendar.Leaders && deliveries == calendar.Leaders,
            $"{received.Count} received, {recipients} distinct recipients, {messageIds} distinct Message-Ids, {deliveries} marked sent, of {calendar.Leaders}");
        report.Check("SMTP outage: the outage was felt (jobs retried)", _options.SmtpDownSeconds == 0 || retries > 0, $"{retries} retries scheduled");
        if (!restarted)
        {
            await smtp.StartAgainAsync();
        }

        await HarnessRun.StopWorkersAsync(workers);
    }

    private async Task ThrottledProviderAsync(SyntheticCalendar calendar)
    {
        CheckReport.Section($"Provider answers 429 to {_options.ThrottleFraction:P0} of Graph requests for {_options.ThrottleSeconds} s");
        await using var db = await PrepareAsync(calendar, "faults_429");
        var workers = await run.StartWorkersAsync(db, "throttle", 2, InvisibilitySeconds, LockTimeoutSeconds);
        run.Provider!.ResetCounters();
        run.Provider.Throttle(_options.ThrottleFraction, TimeSpan.FromSeconds(_options.ThrottleSeconds));
        var stopwatch = Stopwatch.StartNew();
        var ids = db.EnqueueSyncs(db.ConnectionIds);
        var outcome = await run.WaitForJobsAsync(db, ids, "sync", stopwatch);
        var stored = await CheckSyncAsync(db, calendar, outcome, "429s");
        report.Check("429s: no calendar marked broken", stored.NeedsReconnect == 0 && stored.Active == stored.Connections,
            $"{stored.Active} active, {stored.NeedsReconnect} need reconnecting, of {stored.Connections}");
        CheckReport.Measure("429 answers served", $"{run.Provider.Throttled}");
        CheckReport.Measure("Hangfire retries (a job gave up after the app's own 5 attempts)", $"{await HarnessRun.RetriesAsync(db, ids)}");
        await HarnessRun.StopWorkersAsync(workers);
    }

    private async Task<AppDatabase> PrepareAsync(SyntheticCalendar calendar, string name)
    {
        var db = await AppDatabase.CreateAsync(run.Postgres, name);
        await db.SeedAsync(calendar);
        return db;
    }

    private async Task<StoredMeetings> CheckSyncAsync(AppDatabase db, SyntheticCalendar calendar, JobsOutcome outcome, string fault)
    {
        var stored = await StoredMeetings.ReadAsync(db, calendar.EventsPerLeader);
        report.Check($"{fault}: no sync job failed for good", outcome.Succeeded == outcome.Total && !outcome.TimedOut, outcome.ToString());
        report.Check($"{fault}: every event stored exactly once", stored.Total == calendar.TotalEvents && stored.Duplicates == 0 && stored.ConnectionsWithWrongCount == 0,
            $"{stored.Total} stored of {calendar.TotalEvents}, {stored.Duplicates} duplicates, {stored.ConnectionsWithWrongCount} calendars with a wrong count");
        report.Check($"{fault}: every calendar read to its delta link", stored.ConnectionsCompleted == stored.Connections, $"{stored.ConnectionsCompleted} of {stored.Connections}");
        return stored;
    }

    private static Task<long> ProcessingOnAsync(AppDatabase db, WorkerProcess worker) =>
        db.ScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Processing' AND s.data->>'ServerId' LIKE @server",
            ("server", $"%:{worker.Pid}:%"));
}
