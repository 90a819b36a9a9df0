using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.LoadHarness.Provider;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Onboarding;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;

namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>
/// One fresh application database, seen through the app's own composition (AddStorage, AddJobs with no
/// worker, AddOnboarding): migrated by it, seeded through its entities and <see cref="IConnectionSecrets"/>
/// (so every worker decrypts the refresh tokens with the shared key ring), and fed jobs through a
/// Hangfire client on the same PostgreSQL job storage the workers read.
/// </summary>
internal sealed class AppDatabase : IAsyncDisposable
{
    private readonly IHost _host;

    private AppDatabase(IHost host, string connectionString)
    {
        _host = host;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public IServiceProvider Services => _host.Services;

    public Guid[] LeaderIds { get; private set; } = [];

    public Guid[] ConnectionIds { get; private set; } = [];

    public static async Task<AppDatabase> CreateAsync(PostgresCluster cluster, string name)
    {
        var connectionString = await cluster.CreateDatabaseAsync(name);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = Path.GetTempPath(),
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:ConnectionString"] = connectionString,
            ["Jobs:Storage"] = "PostgreSql",
            ["Jobs:RunWorker"] = "false",
            ["DataProtection:CertificateBase64"] = HarnessKeyRing.Base64Pfx,
        });
        builder.Logging.ClearProviders();
        builder.AddStorage();
        builder.AddJobs();
        builder.AddClassificationServices();
        builder.AddOnboarding();
        var host = builder.Build();
        await host.Services.MigrateStorageAsync();

        // Creating the job storage installs Hangfire's schema before any worker starts.
        _ = host.Services.GetRequiredService<JobStorage>();
        return new AppDatabase(host, connectionString);
    }

    /// <summary>One organisation per tenant, one leader and one Microsoft calendar per synthetic leader.</summary>
    public async Task SeedAsync(SyntheticCalendar calendar, bool withSecrets = true, Func<int, string>? zoneOf = null)
    {
        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        LeaderIds = Enumerable.Range(0, calendar.Leaders).Select(_ => Guid.NewGuid()).ToArray();
        ConnectionIds = Enumerable.Range(0, calendar.Leaders).Select(_ => Guid.NewGuid()).ToArray();
        var organisations = new Dictionary<string, Guid>(StringComparer.Ordinal);
        const int Batch = 500;
        for (var first = 0; first < calendar.Leaders; first += Batch)
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
            for (var i = first; i < Math.Min(first + Batch, calendar.Leaders); i++)
            {
                var tenant = calendar.TenantOf(i);
                if (!organisations.TryGetValue(tenant, out var organisationId))
                {
                    organisationId = Guid.NewGuid();
                    organisations[tenant] = organisationId;
                    db.Organisations.Add(new Organisation { Id = organisationId, Name = tenant, Domain = $"{tenant}.example" });
                }

                db.Leaders.Add(new Leader { Id = LeaderIds[i], OrganisationId = organisationId, Email = $"leader{i:D6}@{tenant}.example", DisplayName = $"Leader {i}", TimeZone = zoneOf?.Invoke(i) ?? "UTC", CreatedAt = now });
                db.Connections.Add(new CalendarConnection { Id = ConnectionIds[i], LeaderId = LeaderIds[i], Provider = CalendarProvider.Microsoft, Address = "primary", DisplayName = "Outlook", CreatedAt = now });
            }

            await db.SaveChangesAsync();
        }

        if (!withSecrets)
        {
            return;
        }

        var secrets = Services.GetRequiredService<IConnectionSecrets>();
        await Parallel.ForAsync(0, calendar.Leaders, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
            await secrets.SaveRefreshTokenAsync(ConnectionIds[i], SyntheticCalendar.RefreshToken(i), token));
    }

    public IReadOnlyList<string> EnqueueSyncs(IEnumerable<Guid> connectionIds)
    {
        var jobs = Services.GetRequiredService<IBackgroundJobClient>();
        return connectionIds.AsParallel().WithDegreeOfParallelism(4)
            .Select(id => jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None)))
            .ToList();
    }

    /// <summary>A sync round as SyncAllConnectionsJob starts it with no spread: Jobs:SyncBatchSize connections a job.</summary>
    public IReadOnlyList<string> EnqueueSyncBatches(IEnumerable<Guid> connectionIds)
    {
        var jobs = Services.GetRequiredService<IBackgroundJobClient>();
        return connectionIds.Chunk(new JobsOptions().SyncBatchSize)
            .Select(batch => jobs.Enqueue<SyncConnectionBatchJob>(job => job.RunAsync(batch, CancellationToken.None)))
            .ToList();
    }

    /// <summary>The report round as SendDueReportsJob enqueues it: one batch job per Jobs:ReportBatchSize leaders.</summary>
    public IReadOnlyList<string> EnqueueWeeklyReportBatches(IEnumerable<Guid> leaderIds, string week)
    {
        var jobs = Services.GetRequiredService<IBackgroundJobClient>();
        return leaderIds.Chunk(new JobsOptions().ReportBatchSize)
            .Select(batch => jobs.Enqueue<SendWeeklyReportBatchJob>(job => job.RunAsync(batch, week, CancellationToken.None)))
            .ToList();
    }

    public IReadOnlyList<string> EnqueueWeeklyReports(IEnumerable<Guid> leaderIds, string week)
    {
        var jobs = Services.GetRequiredService<IBackgroundJobClient>();
        return leaderIds.AsParallel().WithDegreeOfParallelism(4)
            .Select(id => jobs.Enqueue<SendWeeklyReportJob>(job => job.RunAsync(id, week, CancellationToken.None)))
            .ToList();
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<List<object[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        _host.Dispose();
        NpgsqlConnection.ClearAllPools();
        await Task.CompletedTask;
    }
}
