using System.Diagnostics;
using Npgsql;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's binaries in a temporary folder, on 127.0.0.1 and a free
/// port, fsync off: what the harness measures is the application, not the disk.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDirectory;
    private readonly string? _runAs;

    private PostgresCluster(string bin, string dataDirectory, string? runAs, int port)
    {
        _bin = bin;
        _dataDirectory = dataDirectory;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The postmaster's process id (the first line of postmaster.pid); null while the server is down.</summary>
    public int? PostmasterPid()
    {
        try
        {
            return int.Parse(File.ReadLines(Path.Combine(_dataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>CPU seconds of the whole server so far: the postmaster, its live backends and the ones that ended.</summary>
    public double CpuSeconds() => PostmasterPid() is { } pid ? CpuTime.OfTree(pid) : 0;

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=30";

    public static async Task<PostgresCluster> StartAsync(int maxConnections)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new HarnessException("PostgreSQL is not installed: apt-get install -y postgresql (the harness uses /usr/lib/postgresql/*/bin).");
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"etrap-load-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);

        // initdb refuses to run as root; the package creates a 'postgres' user for the server.
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        if (runAs is not null)
        {
            await ProcessRunner.RunAsync("chown", ["-R", runAs, dataDirectory]);
        }

        var cluster = new PostgresCluster(bin, dataDirectory, runAs, Ports.Free());
        await cluster.PgAsync("initdb", ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await cluster.PgAsync("pg_ctl", [
            "-D", dataDirectory, "-l", Path.Combine(dataDirectory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {cluster.Port} -k {dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections={maxConnections} -c shared_buffers=256MB",
            "start",
        ]);
        return cluster;
    }

    /// <summary>Creates an empty database and returns a pooled connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE); CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    /// <summary><c>pg_ctl restart -m fast</c>: every open connection breaks, the server is back when it returns.</summary>
    public async Task RestartAsync()
    {
        await PgAsync("pg_ctl", ["-D", _dataDirectory, "-w", "-t", "60", "-m", "fast", "restart"]);

        // The harness's own pooled connections died with the old server; the workers find out for themselves.
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", _dataDirectory, "-w", "-t", "60", "-m", "immediate", "stop"]);
        }
        finally
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private Task PgAsync(string program, string[] arguments)
    {
        var path = Path.Combine(_bin, program);
        return _runAs is null
            ? ProcessRunner.RunAsync(path, arguments)
            : ProcessRunner.RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments]);
    }
}

/// <summary>Runs a short command to its end and fails with its output when it fails.</summary>
internal static class ProcessRunner
{
    public static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new HarnessException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new HarnessException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error} {await output}");
        }
    }
}
