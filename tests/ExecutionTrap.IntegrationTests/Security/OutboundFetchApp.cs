using System.Collections.Concurrent;
using System.Net;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.IntegrationTests.Operations;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serilog.Core;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// The real composition root in Development on SQLite or a new PostgreSQL database, with every
/// log event kept and host names resolved by <see cref="TestHostResolver"/> (names it does not
/// know go to the real DNS), so that a name can be made to point at loopback.
/// </summary>
internal sealed class OutboundFetchApp : WebApplicationFactory<ExecutionTrap.Web.Hosting.HostRoleOptions>
{
    private readonly Dictionary<string, string?> _settings;

    private OutboundFetchApp(string folder, Dictionary<string, string?> settings)
    {
        Folder = folder;
        _settings = settings;
    }

    public string Folder { get; }

    public string DataFolder => Path.Combine(Folder, "data");

    public JsonLogLines Logs { get; } = new();

    public TestHostResolver Resolver { get; } = new();

    /// <param name="database">Sqlite or PostgreSql.</param>
    /// <param name="postgres">The test run's PostgreSQL server.</param>
    /// <param name="settings">Settings over the defaults here.</param>
    /// <param name="folder">The data folder to use (a restart passes the previous app's); a new one when null.</param>
    /// <param name="connectionString">The PostgreSQL database to use (a restart passes the previous app's).</param>
    public static async Task<OutboundFetchApp> StartAsync(
        string database, PostgresServer postgres, Dictionary<string, string?>? settings = null, string? folder = null, string? connectionString = null)
    {
        folder ??= Path.Combine(Path.GetTempPath(), $"etrap-security-{Guid.NewGuid():N}");
        var all = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = database,
            ["Storage:DataFolder"] = Path.Combine(folder, "data"),
            ["Reports:PickupFolder"] = Path.Combine(folder, "mail"),
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:SyncCron"] = Cron.Never(),
            ["Jobs:ReportsCron"] = Cron.Never(),
            ["Serilog:MinimumLevel:Default"] = "Verbose",
        };
        if (database == "PostgreSql")
        {
            all["Storage:ConnectionString"] = connectionString ?? await postgres.CreateDatabaseAsync("etrap_security");
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new OutboundFetchApp(folder, all);
    }

    public string? ConnectionString => _settings.GetValueOrDefault("Storage:ConnectionString");

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<T> WithDbAsync<T>(Func<ExecutionTrapDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>());
    }

    /// <summary>Runs the real sync job in its own scope, as a Hangfire worker would.</summary>
    public async Task SyncAsync(Guid connectionId)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SyncConnectionJob>().RunAsync(connectionId, CancellationToken.None);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            services.RemoveAll<IIcsHostResolver>();
            services.AddSingleton<IIcsHostResolver>(Resolver);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Deletes the data folder; only once no app uses it any more.</summary>
    public void DeleteFolder()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

/// <summary>A DNS whose answers the test decides, for the names it was told; the real DNS for others.</summary>
internal sealed class TestHostResolver : IIcsHostResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);

    public void Map(string host, params IPAddress[] addresses) => _names[host] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, cancellationToken);
}
