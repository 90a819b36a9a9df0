using System.Diagnostics;
using System.Globalization;
using MimeKit;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// The integration tests' aiosmtpd sink (tests/ExecutionTrap.IntegrationTests/Reports/smtp_sink.py) on
/// 127.0.0.1: every accepted message becomes an .eml file. It can be stopped and started again on the
/// same port to play an SMTP outage.
/// </summary>
internal sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string _script;
    private Process? _process;

    private SmtpSink(string script)
    {
        _script = script;
    }

    public int Port { get; } = Ports.Free();

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"etrap-load-smtp-{Guid.NewGuid():N}");

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<SmtpSink> StartAsync(string repositoryRoot)
    {
        var script = Path.Combine(repositoryRoot, "tests", "ExecutionTrap.IntegrationTests", "Reports", "smtp_sink.py");
        if (!File.Exists(Python) || !File.Exists(script))
        {
            throw new HarnessException($"The SMTP sink needs {Python} with aiosmtpd (apt-get install -y python3-aiosmtpd) and {script}.");
        }

        var sink = new SmtpSink(script);
        await sink.StartAgainAsync();
        return sink;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_script);
        start.ArgumentList.Add(Folder);
        start.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        _process = Process.Start(start) ?? throw new HarnessException($"Could not start {Python}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            throw new HarnessException($"smtp_sink.py did not start: {line} {await _process.StandardError.ReadToEndAsync(timeout.Token)}");
        }
    }

    /// <summary>Stops the sink; connections to its port are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }

        // Closing standard input is the sink's signal to stop.
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Every received message's recipient and Message-Id (headers only).</summary>
    public IReadOnlyList<(string To, string MessageId)> Received()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        var received = new List<(string, string)>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.eml"))
        {
            using var stream = File.OpenRead(path);
            var headers = HeaderList.Load(stream);
            received.Add((headers[HeaderId.To] ?? "", headers[HeaderId.MessageId] ?? ""));
        }

        return received;
    }

    public int ReceivedCount => Directory.Exists(Folder) ? Directory.EnumerateFiles(Folder, "*.eml").Count() : 0;

    /// <summary>Forgets what was received, between phases.</summary>
    public void Clear()
    {
        if (Directory.Exists(Folder))
        {
            foreach (var path in Directory.EnumerateFiles(Folder))
            {
                File.Delete(path);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
