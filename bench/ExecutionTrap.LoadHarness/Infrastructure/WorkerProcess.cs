using System.Diagnostics;
using System.Globalization;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// One worker: the built web host (<c>ExecutionTrap.Web.dll</c>) started as its own process with
/// <c>--urls http://127.0.0.1:port</c> and its settings as environment variables, its output in a log file.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pump;

    private WorkerProcess(string name, Process process, StreamWriter log, string logPath, int port)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
        Port = port;
        _pump = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public int Port { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>CPU seconds this worker has used so far.</summary>
    public double CpuSeconds() => CpuTime.Of(Pid);

    /// <summary>The peak resident memory (VmHWM) so far, in MiB, read from /proc; null once the process is gone.</summary>
    public double? PeakMemoryMiB()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return null;
    }

    public static async Task<WorkerProcess> StartAsync(string name, string webDll, IReadOnlyDictionary<string, string> environment, string logFolder, CpuQuota? quota = null)
    {
        var port = Ports.Free();
        var start = new ProcessStartInfo(quota is null ? "dotnet" : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(webDll)!,
        };
        if (quota is not null)
        {
            // The shell joins the cgroup and then becomes dotnet (same pid), so the runtime starts inside the quota.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("echo $$ > \"$0/cgroup.procs\" && exec dotnet \"$@\"");
            start.ArgumentList.Add(quota.Path);
        }

        start.ArgumentList.Add(webDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var logPath = Path.Combine(logFolder, $"{name}.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new HarnessException($"Could not start the worker {name}.");
        var worker = new WorkerProcess(name, process, log, logPath, port);
        await worker.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        return worker;
    }

    /// <summary><c>kill -9</c>: no shutdown, no goodbye to Hangfire; its jobs stay fetched until they time out.</summary>
    public async Task KillHardAsync()
    {
        await ProcessRunner.RunAsync("kill", ["-9", Pid.ToString(CultureInfo.InvariantCulture)]);
        await _process.WaitForExitAsync();
    }

    /// <summary>A graceful stop (SIGTERM): Hangfire gives running jobs back to the queue.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        await ProcessRunner.RunAsync("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _pump;
        await _log.DisposeAsync();
        _process.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new HarnessException($"The worker {Name} exited with {_process.ExitCode} while starting; see {LogPath}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(250);
        }

        throw new HarnessException($"The worker {Name} did not answer /healthz within {limit.TotalSeconds:0} s; see {LogPath}.");
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }
}
