using System.Diagnostics;
using System.Net;

namespace ExecutionTrap.IntegrationTests.Operations;

/// <summary>
/// The production topology as separate processes on this machine (deploy/local/run-topology.sh): PostgreSQL,
/// an SMTP sink, the migration, one web and two workers of the built app, all on 127.0.0.1.
/// </summary>
public sealed class TopologyTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Topology_SyncsTheSampleCalendarOnAWorker_WhenTheWebEnqueuesIt()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"etrap-topology-{Guid.NewGuid():N}");
        var start = await RunScriptAsync("run-topology.sh", folder, StartTimeout);
        try
        {
            Assert.True(start.ExitCode == 0, $"run-topology.sh failed ({start.ExitCode}): {start.Output}\n{Logs(folder)}");
            var topology = ReadEnv(Path.Combine(folder, "topology.env"));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.BaseAddress = new Uri(topology["ETRAP_WEB_URL"]);
            string[] workers = [topology["ETRAP_WORKER1_URL"], topology["ETRAP_WORKER2_URL"]];

            var ready = await Task.WhenAll(new[] { topology["ETRAP_WEB_URL"] }.Concat(workers).Select(url => http.GetAsync($"{url}/healthz/ready")));
            var workerApi = await http.GetAsync($"{workers[0]}/api/connections");
            var webApi = await http.GetAsync("/api/connections");

            // The job logs and is counted once it returns, a moment after its last page is stored.
            string workerMetrics = "", workerLogs = "";
            await EventuallyAsync(async () =>
            {
                workerMetrics = string.Concat(await Task.WhenAll(workers.Select(url => http.GetStringAsync($"{url}/metrics"))));
                workerLogs = File.ReadAllText(Path.Combine(folder, "logs", "worker1.log")) + File.ReadAllText(Path.Combine(folder, "logs", "worker2.log"));
                return workerMetrics.Contains("etrap_jobs_run_total{", StringComparison.Ordinal)
                    && workerLogs.Contains("Synced connection", StringComparison.Ordinal);
            });
            var webMetrics = await http.GetStringAsync($"{topology["ETRAP_WEB_URL"]}/metrics");
            var webLog = File.ReadAllText(Path.Combine(folder, "logs", "web.log"));

            Assert.All(ready, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.Equal(HttpStatusCode.NotFound, workerApi.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, webApi.StatusCode); // the web serves the API, to signed-in callers only
            var syncedLine = workerLogs.Split('\n').FirstOrDefault(l => l.Contains("Synced connection", StringComparison.Ordinal) && l.Contains("167 changes", StringComparison.Ordinal));
            Assert.NotNull(syncedLine);
            Assert.Contains("\"CorrelationId\":", syncedLine, StringComparison.Ordinal);
            Assert.Contains("\"JobType\":\"SyncConnectionJob\"", syncedLine, StringComparison.Ordinal);
            Assert.Contains("\"Role\":\"worker\"", syncedLine, StringComparison.Ordinal);
            Assert.DoesNotContain("Synced connection", webLog, StringComparison.Ordinal);
            Assert.Contains("etrap_jobs_run_total{", workerMetrics, StringComparison.Ordinal);
            Assert.Contains("etrap_events_synced_total{", workerMetrics, StringComparison.Ordinal);
            Assert.DoesNotContain("etrap_jobs_run_total{", webMetrics, StringComparison.Ordinal);
        }
        finally
        {
            var stop = await RunScriptAsync("stop-topology.sh", folder, TimeSpan.FromMinutes(1), folder);
            Assert.True(stop.ExitCode == 0, $"stop-topology.sh failed ({stop.ExitCode}): {stop.Output}");
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition() && !deadline.IsCancellationRequested)
        {
            await Task.Delay(250, CancellationToken.None);
        }
    }

    // The app of this test run's configuration: tests/…/bin/<Configuration>/net10.0/ → src/ExecutionTrap.Web/bin/<Configuration>/net10.0/.
    private static string AppDll()
    {
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(Samples.RepositoryRoot(), "src", "ExecutionTrap.Web", "bin", configuration, framework.Name, "ExecutionTrap.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"The app is not built at {dll}: build the solution first.");
    }

    private static async Task<(int ExitCode, string Output)> RunScriptAsync(string script, string folder, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Samples.RepositoryRoot(), "deploy", "local", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ETRAP_APP_DLL"] = AppDll();
        start.Environment["ETRAP_TOPOLOGY_DIR"] = folder;

        // The API asks for a signed-in leader; the web process declares the sample leader and
        // calendar from configuration instead, and enqueues its first sync for a worker.
        start.Environment["Onboarding__Leaders__0__Email"] = "dana@topology.example";
        start.Environment["Onboarding__Leaders__0__TimeZone"] = "Europe/London";
        start.Environment["Onboarding__Leaders__0__Calendars__0"] = Samples.LeaderMonthSample;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {script}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{script} did not finish within {timeout.TotalSeconds} s");
        }

        return (process.ExitCode, await output + await error);
    }

    private static Dictionary<string, string> ReadEnv(string path) =>
        File.ReadAllLines(path)
            .Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);

    private static string Logs(string folder)
    {
        var logs = Path.Combine(folder, "logs");
        return Directory.Exists(logs)
            ? string.Join("\n", Directory.GetFiles(logs).Select(f => $"--- {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(20))}"))
            : "";
    }
}
