using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace ExecutionTrap.IntegrationTests.Reports;

/// <summary>
/// A real SMTP server on 127.0.0.1: smtp_sink.py (aiosmtpd) saves what it receives as .eml files and answers
/// 550 to recipients starting with "bounce". Debian's python3-aiosmtpd provides it.
/// </summary>
public sealed class SmtpSinkFixture : IAsyncLifetime
{
    private static readonly string[] PythonCandidates = ["/usr/bin/python3", "python3"];

    private Process? _process;

    public int Port { get; private set; }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "etrap-smtp-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var python = await FindPythonWithAiosmtpdAsync();
        Port = FreePort();
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScriptPath());
        start.ArgumentList.Add(Folder);
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            var error = await _process.StandardError.ReadToEndAsync(timeout.Token);
            throw new InvalidOperationException($"smtp_sink.py did not start: {line} {error}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            // Closing standard input is the sink's signal to stop; kill only if it does not.
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
        }

        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>The received message with this Message-Id, parsed by MimeKit; null when none arrived.</summary>
    public MimeMessage? Received(string messageId) =>
        Directory.Exists(Folder)
            ? Directory.GetFiles(Folder, "*.eml").Select(path => MimeMessage.Load(path)).FirstOrDefault(m => m.MessageId == messageId)
            : null;

    public int ReceivedCount => Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.eml").Length : 0;

    private static async Task<string> FindPythonWithAiosmtpdAsync()
    {
        foreach (var candidate in PythonCandidates)
        {
            try
            {
                using var probe = Process.Start(new ProcessStartInfo(candidate, ["-c", "import aiosmtpd"])
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                });
                if (probe is null)
                {
                    continue;
                }

                await probe.WaitForExitAsync();
                if (probe.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed under this name: try the next.
            }
        }

        throw new InvalidOperationException("The SMTP tests need python3 with aiosmtpd: apt-get install -y python3-aiosmtpd");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string ScriptPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExecutionTrap.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? throw new InvalidOperationException("The repository root (the folder with ExecutionTrap.sln) was not found above the test binaries.")
            : Path.Combine(directory.FullName, "tests", "ExecutionTrap.IntegrationTests", "Reports", "smtp_sink.py");
    }
}
