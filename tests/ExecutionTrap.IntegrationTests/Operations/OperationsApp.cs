using System.Collections.Concurrent;
using ExecutionTrap.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ExecutionTrap.IntegrationTests.Operations;

/// <summary>
/// The real composition root (Program) in memory, configured as one process of the topology: its role,
/// its storage, its settings. Every log event is kept as the JSON line the console would print.
/// </summary>
// Any type of the web assembly names its entry point; "Program" alone is ambiguous next to the CLI's.
internal sealed class OperationsApp : WebApplicationFactory<ExecutionTrap.Web.Hosting.HostRoleOptions>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"etrap-ops-{Guid.NewGuid():N}");

    private OperationsApp(Dictionary<string, string?> settings) => _settings = settings;

    public JsonLogLines Logs { get; } = new();

    /// <summary>Embedded mode: SQLite and in-memory jobs in one process of role "both".</summary>
    public static OperationsApp Embedded(params (string Key, string? Value)[] settings) =>
        Create(new Dictionary<string, string?> { ["Storage:Provider"] = "Sqlite", ["Jobs:Storage"] = "InMemory" }, settings);

    /// <summary>Production mode: application data and jobs in a new PostgreSQL database, in the given role.</summary>
    public static async Task<OperationsApp> ProductionAsync(PostgresServer postgres, string role, params (string Key, string? Value)[] settings)
    {
        var database = await postgres.CreateDatabaseAsync("etrap_ops");
        return Create(
            new Dictionary<string, string?>
            {
                ["Host:Role"] = role,
                ["Storage:Provider"] = "PostgreSql",
                ["Storage:ConnectionString"] = database,
                ["Jobs:Storage"] = "PostgreSql",
            },
            settings);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:DataFolder", Path.Combine(_folder, "data"));
        builder.UseSetting("Reports:PickupFolder", Path.Combine(_folder, "mail"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Serilog reads sinks from the container too (ReadFrom.Services): this one keeps what the console would print.
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static OperationsApp Create(Dictionary<string, string?> defaults, (string Key, string? Value)[] settings)
    {
        foreach (var (key, value) in settings)
        {
            defaults[key] = value;
        }

        return new OperationsApp(defaults);
    }
}

/// <summary>Log events rendered as compact JSON lines, the format of Logging:Format=json.</summary>
internal sealed class JsonLogLines : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly RenderedCompactJsonFormatter _formatter = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString().TrimEnd());
    }

    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = _lines.FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"No log line matched within {timeout.TotalSeconds} s; logged:\n{string.Join("\n", _lines)}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
