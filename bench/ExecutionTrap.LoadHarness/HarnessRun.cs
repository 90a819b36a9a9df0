using System.Diagnostics;
using System.Globalization;
using ExecutionTrap.LoadHarness.Infrastructure;
using ExecutionTrap.LoadHarness.Provider;

namespace ExecutionTrap.LoadHarness;

/// <summary>What one run of the harness starts and owns: its folder, PostgreSQL, the provider, the SMTP sink, the workers.</summary>
internal sealed class HarnessRun : IAsyncDisposable
{
    /// <summary>A cron that does not fire during a run: the harness enqueues every round itself.</summary>
    private const string NeverDuringRun = "0 0 1 1 *";

    private readonly List<WorkerProcess> _workers = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<CpuQuota> _quotas = [];

    private HarnessRun(HarnessOptions options, string repositoryRoot, string webDll, string folder, PostgresCluster postgres)
    {
        Options = options;
        RepositoryRoot = repositoryRoot;
        WebDll = webDll;
        Folder = folder;
        Postgres = postgres;
    }

    public HarnessOptions Options { get; }

    public string RepositoryRoot { get; }

    public string WebDll { get; }

    public string Folder { get; }

    public PostgresCluster Postgres { get; }

    public ProviderServer? Provider { get; private set; }

    public SmtpSink? Smtp { get; private set; }

    public static async Task<HarnessRun> PrepareAsync(HarnessOptions options)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ExecutionTrap.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new HarnessException("The repository root (the folder with ExecutionTrap.sln) was not found above the harness binaries.");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var webDll = Path.Combine(root.FullName, "src", "ExecutionTrap.Web", "bin", configuration, "net10.0", "ExecutionTrap.Web.dll");
        if (!File.Exists(webDll))
        {
            throw new HarnessException($"The web host is not built at {webDll}: dotnet build -c {configuration} src/ExecutionTrap.Web");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"etrap-load-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(folder);
        Console.WriteLine($"ExecutionTrap load harness: {options.Scenario}, {Environment.ProcessorCount} cores (load average {LoadAverage()}), web host {configuration}, files in {folder}");
        var postgres = await PostgresCluster.StartAsync(maxConnections: 400);
        Console.WriteLine($"   PostgreSQL on 127.0.0.1:{postgres.Port}");
        return new HarnessRun(options, root.FullName, webDll, folder, postgres);
    }

    /// <summary>The 1, 5 and 15 minute load averages: on a shared machine they say how much CPU the run really had.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public async Task<ProviderServer> StartProviderAsync(SyntheticCalendar calendar)
    {
        Provider = await ProviderServer.StartAsync(calendar, Options.LatencyMinMs, Options.LatencyMaxMs);
        Console.WriteLine($"   Provider (Graph + token endpoint) at {Provider.BaseUrl}, {Options.LatencyMinMs}-{Options.LatencyMaxMs} ms per Graph page");
        return Provider;
    }

    public async Task<SmtpSink> StartSmtpAsync()
    {
        Smtp = await SmtpSink.StartAsync(RepositoryRoot);
        Console.WriteLine($"   SMTP sink on 127.0.0.1:{Smtp.Port}");
        return Smtp;
    }

    /// <summary>Starts worker processes on <paramref name="db"/> and waits until each has registered its Hangfire server.</summary>
    public async Task<List<WorkerProcess>> StartWorkersAsync(AppDatabase db, string prefix, int count, int invisibilitySeconds = 300, int lockTimeoutSeconds = 300)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DataProtection__CertificateBase64"] = HarnessKeyRing.Base64Pfx,
            ["Storage__Provider"] = "PostgreSql",
            ["Storage__ConnectionString"] = db.ConnectionString,
            ["Storage__MigrateOnStart"] = "false",
            ["Storage__DataFolder"] = Path.Combine(Folder, "data"),
            ["Jobs__Storage"] = "PostgreSql",
            ["Jobs__RunWorker"] = "true",
            ["Jobs__WorkerCount"] = Options.WorkersPerProcess.ToString(CultureInfo.InvariantCulture),
            ["Jobs__SyncCron"] = NeverDuringRun,
            ["Jobs__ReportsCron"] = NeverDuringRun,
            ["Jobs__InvisibilityTimeoutSeconds"] = invisibilitySeconds.ToString(CultureInfo.InvariantCulture),
            ["Jobs__DistributedLockTimeoutSeconds"] = lockTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["Jobs__QueuePollSeconds"] = "1",
            ["Reports__UnsubscribeKey"] = "load-harness-unsubscribe-key-not-a-secret-0123456789",
            ["Reports__PublicBaseUrl"] = "http://127.0.0.1:5080",
            ["Reports__PickupFolder"] = Path.Combine(Folder, "pickup"),

            // One log line per HTTP request and per retry attempt is what an operator would turn down at this volume.
            ["Serilog__MinimumLevel__Override__System.Net.Http.HttpClient"] = "Warning",
            ["Serilog__MinimumLevel__Override__Polly"] = "Warning",
        };
        if (Provider is not null)
        {
            environment["Calendars__Microsoft__GraphBaseUrl"] = Provider.GraphBaseUrl;
            environment["Calendars__Microsoft__Authority"] = Provider.BaseUrl;
            environment["Calendars__Microsoft__ClientId"] = "load-harness";
            environment["Calendars__Microsoft__Tenant"] = "organizations";
        }

        if (Smtp is not null)
        {
            environment["Reports__Smtp__Host"] = "127.0.0.1";
            environment["Reports__Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture);
            environment["Reports__Smtp__StartTls"] = "None";
            environment["Reports__Smtp__TimeoutSeconds"] = "30";
        }

        var started = await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
        {
            var name = $"{prefix}-worker{i}";
            var quota = Options.CpusPerWorker > 0 ? CpuQuota.Create($"etrap-load-{Environment.ProcessId}-{name}", Options.CpusPerWorker) : null;
            if (quota is not null)
            {
                _quotas.Add(quota);
            }

            return WorkerProcess.StartAsync(name, WebDll, environment, Folder, quota);
        }));
        _workers.AddRange(started);
        await WaitForServersAsync(db, count);
        return [.. started];
    }

    public static async Task WaitForServersAsync(AppDatabase db, int count)
    {
        var stopwatch = Stopwatch.StartNew();
        while (await db.ScalarAsync<long>("SELECT count(*) FROM hangfire.server WHERE lastheartbeat > now() - interval '30 seconds'") < count)
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new HarnessException($"Fewer than {count} Hangfire servers registered within 60 s.");
            }

            await Task.Delay(250);
        }
    }

    public static async Task StopWorkersAsync(IEnumerable<WorkerProcess> workers) =>
        await Task.WhenAll(workers.Select(w => w.StopAsync()));

    /// <summary>Waits until every job is Succeeded, Failed or Deleted, printing progress every 10 s.</summary>
    public async Task<JobsOutcome> WaitForJobsAsync(AppDatabase db, IReadOnlyList<string> ids, string label, Stopwatch? since = null, Func<JobsOutcome, Task>? onProgress = null)
    {
        var jobIds = ids.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        var stopwatch = since ?? Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var states = (await db.RowsAsync("SELECT statename, count(*) FROM hangfire.job WHERE id = ANY(@ids) GROUP BY statename", ("ids", jobIds)))
                .ToDictionary(r => (string)r[0], r => (long)r[1], StringComparer.Ordinal);
            var outcome = new JobsOutcome(
                jobIds.Length,
                (int)states.GetValueOrDefault("Succeeded"),
                (int)states.GetValueOrDefault("Failed"),
                (int)states.GetValueOrDefault("Deleted"),
                (int)states.GetValueOrDefault("Scheduled"),
                stopwatch.Elapsed,
                TimedOut: false);
            if (outcome.Finished)
            {
                Console.WriteLine($"   {label}: {outcome}");
                return outcome;
            }

            if (stopwatch.Elapsed > Options.PhaseTimeout)
            {
                var timedOut = outcome with { TimedOut = true };
                Console.WriteLine($"   {label}: {timedOut}");
                return timedOut;
            }

            if (stopwatch.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = stopwatch.Elapsed;
                Console.WriteLine($"   {label}: {outcome} (load average {LoadAverage()})");
            }

            if (onProgress is not null)
            {
                await onProgress(outcome);
            }

            await Task.Delay(500);
        }
    }

    /// <summary>Percentiles of the jobs' run time and of enqueue-to-done time, from Hangfire's Succeeded states.</summary>
    public static async Task<JobTimings> JobTimingsAsync(AppDatabase db, IReadOnlyList<string> ids)
    {
        var jobIds = ids.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray();
        var rows = await db.RowsAsync(
            """
            SELECT (s.data->>'PerformanceDuration')::bigint, (s.data->>'Latency')::bigint
            FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid
            WHERE j.id = ANY(@ids) AND s.name = 'Succeeded'
            """,
            ("ids", jobIds));
        var run = rows.Select(r => (double)(long)r[0]).Order().ToList();
        var total = rows.Select(r => (double)((long)r[0] + (long)r[1])).Order().ToList();
        return new JobTimings(Percentile(run, 0.5), Percentile(run, 0.95), Percentile(total, 0.95), run.Count == 0 ? 0 : run[^1]);
    }

    /// <summary>How many times Hangfire scheduled a retry of these jobs.</summary>
    public static Task<long> RetriesAsync(AppDatabase db, IReadOnlyList<string> ids) =>
        db.ScalarAsync<long>(
            "SELECT count(*) FROM hangfire.state WHERE jobid = ANY(@ids) AND name = 'Scheduled'",
            ("ids", ids.Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToArray()));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        foreach (var quota in _quotas)
        {
            quota.Dispose();
        }

        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (Smtp is not null)
        {
            await Smtp.DisposeAsync();
        }

        await Postgres.DisposeAsync();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

internal sealed record JobsOutcome(int Total, int Succeeded, int Failed, int Deleted, int Scheduled, TimeSpan Elapsed, bool TimedOut)
{
    public bool Finished => Succeeded + Failed + Deleted == Total;

    public override string ToString() =>
        $"{Succeeded}/{Total} succeeded, {Failed} failed, {Scheduled} waiting to retry, {Elapsed.TotalSeconds:0.0} s{(TimedOut ? " (TIMED OUT)" : "")}";
}

/// <summary>Milliseconds: the job's own run time (p50, p95, max) and enqueue-to-done (p95).</summary>
internal sealed record JobTimings(double RunP50, double RunP95, double EndToEndP95, double RunMax);
