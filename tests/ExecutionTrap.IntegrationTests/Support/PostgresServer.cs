using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>
/// A real PostgreSQL for the test run: the server named by ETRAP_TEST_POSTGRES, or else a
/// throwaway cluster started from Debian's postgresql binaries in a temporary folder on loopback.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _dataDirectory;
    private string? _pgCtl;
    private string? _runAs;
    private string _adminConnectionString = "";

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("ETRAP_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            return;
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed: install Debian's 'postgresql' package (.ci/run does) or set ETRAP_TEST_POSTGRES to a connection string.");
        }

        _pgCtl = Path.Combine(bin, "pg_ctl");
        _dataDirectory = Path.Combine(Path.GetTempPath(), $"etrap-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dataDirectory);

        // initdb refuses to run as root; run the server as the 'postgres' user the package creates.
        _runAs = Environment.UserName == "root" ? "postgres" : null;
        if (_runAs is not null)
        {
            await RunAsync("chown", $"-R {_runAs} {_dataDirectory}");
        }

        var port = FreePort();
        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), $"-D {_dataDirectory} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
        await RunAsPostgresAsync(_pgCtl, $"-D {_dataDirectory} -l {_dataDirectory}/server.log -w -t 60 -o \"-p {port} -k {_dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start");
        _adminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "etrap")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Stops and starts the server (fault tests); connections in use break.</summary>
    public async Task RestartAsync()
    {
        if (_pgCtl is null)
        {
            throw new InvalidOperationException("Only a server this run started can be restarted.");
        }

        await RunAsPostgresAsync(_pgCtl, $"-D {_dataDirectory} -w -t 60 -m fast restart");
    }

    public async Task DisposeAsync()
    {
        if (_pgCtl is null || _dataDirectory is null)
        {
            return;
        }

        await RunAsPostgresAsync(_pgCtl, $"-D {_dataDirectory} -w -t 60 -m immediate stop");
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private Task RunAsPostgresAsync(string program, string arguments) =>
        _runAs is null ? RunAsync(program, arguments) : RunAsync("runuser", $"-u {_runAs} -- {program} {arguments}");

    private static async Task RunAsync(string program, string arguments)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"{program} {arguments}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {await error} {await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
