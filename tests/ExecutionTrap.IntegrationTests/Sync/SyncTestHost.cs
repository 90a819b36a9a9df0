using ExecutionTrap.Calendars;
using ExecutionTrap.Classification;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Reports;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Hosting;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog.Core;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>
/// The service's own composition (AddObservability, AddStorage, AddCalendars, AddClassification, AddReports,
/// AddJobs) on a fresh SQLite file or PostgreSQL database, with the Graph and Google clients pointed at a
/// replay server, a write-counting EF Core interceptor, a recording Serilog sink and a pickup folder for mail.
/// </summary>
internal sealed class SyncTestHost : IAsyncDisposable
{
    public const string MicrosoftClientId = "client-123";
    public const string MicrosoftClientSecret = "client-secret-value";
    public const string GoogleClientId = "client-id.apps.googleusercontent.com";
    public const string GoogleClientSecret = "google-client-secret";

    private readonly string _folder;

    private SyncTestHost(IHost host, string folder, string database, WriteCounter writes, RecordingLogSink logs)
    {
        Host = host;
        _folder = folder;
        Database = database;
        Writes = writes;
        Logs = logs;
    }

    public IHost Host { get; }

    public string Database { get; }

    public WriteCounter Writes { get; }

    public RecordingLogSink Logs { get; }

    public string MailFolder => Path.Combine(_folder, "mail");

    /// <summary>The SQLite database file, when the host runs on SQLite.</summary>
    public string? SqliteFile => Database == "Sqlite" ? Path.Combine(_folder, "data", "executiontrap.db") : null;

    /// <summary>Starts the host; <paramref name="time"/> (the real clock when null) sets a full read's window and every back-off, <paramref name="settings"/> go on top of the test defaults.</summary>
    public static async Task<SyncTestHost> StartAsync(
        string database,
        PostgresServer postgres,
        ProviderReplayServer server,
        bool runWorker = false,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"etrap-sync-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = database,
            ["Storage:DataFolder"] = Path.Combine(folder, "data"),
            ["Jobs:Storage"] = "InMemory",
            ["Jobs:RunWorker"] = runWorker ? "true" : "false",
            ["Jobs:WorkerCount"] = "1",
            // Never: only the test decides when a sync runs.
            ["Jobs:SyncCron"] = Cron.Never(),
            ["Jobs:ReportsCron"] = Cron.Never(),
            ["Retention:PurgeCron"] = Cron.Never(),
            ["Calendars:Microsoft:GraphBaseUrl"] = server.GraphBaseUrl,
            ["Calendars:Microsoft:Authority"] = server.BaseUrl,
            ["Calendars:Microsoft:Tenant"] = ProviderReplayServer.Tenant,
            ["Calendars:Microsoft:ClientId"] = MicrosoftClientId,
            ["Calendars:Microsoft:ClientSecret"] = MicrosoftClientSecret,
            ["Calendars:Microsoft:PageSize"] = "2",
            ["Calendars:Microsoft:MaxAttempts"] = "3",
            // Tiny on purpose: a wait of a second can then only come from Retry-After.
            ["Calendars:Microsoft:RetryBaseDelay"] = "00:00:00.010",
            ["Calendars:Google:ApiBaseUrl"] = server.GoogleApiBaseUrl,
            ["Calendars:Google:TokenEndpoint"] = server.GoogleTokenEndpoint,
            ["Calendars:Google:AuthorizationEndpoint"] = server.BaseUrl + "/google/authorize",
            ["Calendars:Google:ClientId"] = GoogleClientId,
            ["Calendars:Google:ClientSecret"] = GoogleClientSecret,
            ["Calendars:Google:MaxAttempts"] = "3",
            ["Calendars:Google:BackoffBaseDelay"] = "00:00:00.005",
            ["Reports:PickupFolder"] = Path.Combine(folder, "mail"),
            ["Serilog:MinimumLevel:Default"] = "Verbose",
        };
        if (database == "PostgreSql")
        {
            configuration["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync("etrap_sync");
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
            ContentRootPath = folder,
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddObservability();
        builder.AddStorage();
        builder.AddCalendars();
        builder.AddClassification();
        builder.AddReports();
        builder.AddJobs();
        builder.AddClassificationServices();

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var writes = new WriteCounter();
        var logs = new RecordingLogSink();
        builder.Services.AddSingleton<ILogEventSink>(logs);
        if (database == "PostgreSql")
        {
            builder.Services.ConfigureDbContext<PostgresExecutionTrapDbContext>(o => o.AddInterceptors(writes));
        }
        else
        {
            builder.Services.ConfigureDbContext<SqliteExecutionTrapDbContext>(o => o.AddInterceptors(writes));
        }

        var host = builder.Build();
        await host.Services.MigrateStorageAsync();
        await host.StartAsync();
        return new SyncTestHost(host, folder, database, writes, logs);
    }

    /// <summary>Runs the real job in its own scope, as a Hangfire worker would.</summary>
    public async Task SyncAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SyncConnectionJob>().RunAsync(connectionId, cancellationToken);
    }

    public async Task<Guid> AddLeaderAsync(string email = "dana@contoso.example")
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Contoso", Domain = $"{Guid.NewGuid():N}.example" };
        var leader = new Leader { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Email = email, DisplayName = "Dana Leader" };
        db.AddRange(organisation, leader);
        await db.SaveChangesAsync();
        return leader.Id;
    }

    /// <summary>A connected calendar whose refresh token is stored the way the connect flow stores it: encrypted.</summary>
    public async Task<Guid> AddConnectionAsync(Guid leaderId, CalendarProvider provider, string refreshToken)
    {
        var id = Guid.NewGuid();
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
            db.Connections.Add(new CalendarConnection { Id = id, LeaderId = leaderId, Provider = provider, Address = "primary", DisplayName = provider.ToString() });
            await db.SaveChangesAsync();
        }

        await Host.Services.GetRequiredService<IConnectionSecrets>().SaveRefreshTokenAsync(id, refreshToken, CancellationToken.None);
        return id;
    }

    public async Task<CalendarConnection> ConnectionAsync(Guid connectionId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        return await db.Connections.AsNoTracking().SingleAsync(c => c.Id == connectionId);
    }

    public async Task<List<StoredMeeting>> MeetingsAsync(Guid connectionId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var meetings = await db.Meetings.AsNoTracking().Where(m => m.ConnectionId == connectionId).ToListAsync();
        return [.. meetings.OrderBy(m => m.ProviderId, StringComparer.Ordinal)];
    }

    /// <summary>The stored provider ids, sorted, to compare with what the provider holds.</summary>
    public async Task<string[]> MeetingIdsAsync(Guid connectionId) =>
        [.. (await MeetingsAsync(connectionId)).Select(m => m.ProviderId)];

    /// <summary>Waits until Hangfire has no job enqueued, scheduled or running.</summary>
    public async Task WaitForIdleJobsAsync(TimeSpan timeout)
    {
        var monitoring = Host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            var stats = monitoring.GetStatistics();
            if (stats.Enqueued == 0 && stats.Processing == 0 && stats.Scheduled == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Hangfire still had work after " + timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background thread; the temp folder is cleaned by the OS.
        }
    }
}
