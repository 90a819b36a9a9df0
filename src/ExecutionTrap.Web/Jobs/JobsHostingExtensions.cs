using ExecutionTrap.Calendars;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Connections;
using ExecutionTrap.Storage.Sync;
using ExecutionTrap.Web.Hosting;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Jobs;

public static class JobsHostingExtensions
{
    /// <summary>The queues, most urgent first: a worker takes from the first queue that has work.</summary>
    internal static readonly string[] Queues = ["email", "reports", "sync", "classify", "default"];

    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<JobsOptions>()
            .BindConfiguration(JobsOptions.SectionName)
            .ValidateDataAnnotations();
        builder.Services.AddOptionsWithValidateOnStart<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations();

        var options = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        var role = HostRoleOptions.From(builder.Configuration);
        if (role.Role != HostRole.Both && options.Storage == JobStorageKind.InMemory)
        {
            throw new InvalidOperationException($"Host:Role={role.Role} needs Jobs:Storage=PostgreSql: an in-memory job store is not shared between the web and worker processes.");
        }

        builder.Services.AddSingleton<JobObservabilityFilter>();
        builder.Services.AddSingleton<IJobFilterProvider>(HostJobFilterProvider.For);
        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (options.Storage == JobStorageKind.PostgreSql)
            {
                var connectionString = ResolveConnectionString(builder.Configuration, options);
                var prepareSchema = builder.Configuration.GetValue($"{StorageOptions.SectionName}:{nameof(StorageOptions.MigrateOnStart)}", true);
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
                {
                    PrepareSchemaIfNecessary = prepareSchema,
                    EnableLongPolling = true,

                    // A fixed timeout bounds every fetched job, including one a dead worker or an orphaned fetch holds.
                    UseSlidingInvisibilityTimeout = false,
                    InvisibilityTimeout = TimeSpan.FromSeconds(options.InvisibilityTimeoutSeconds),
                    DistributedLockTimeout = TimeSpan.FromSeconds(options.DistributedLockTimeoutSeconds),
                    QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds),
                });
            }
            else
            {
                config.UseInMemoryStorage(new InMemoryStorageOptions());
            }
        });

        if (options.RunWorker && role.RunsJobs)
        {
            AddServers(builder.Services, options);
        }

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds + 5));
        builder.Services.AddSingleton<ProviderSyncLimiter>();
        builder.Services.Decorate<ICalendarSource>((sp, source) =>
            new LimitedCalendarSource(source, sp.GetRequiredService<ProviderSyncLimiter>(), sp.GetRequiredService<ExecutionTrapMetrics>()));
        builder.Services.TryAddSingleton<ExecutionTrapMetrics>();
        builder.Services.AddMetrics();
        builder.Services.AddScoped<CalendarPageWriter>();
        builder.Services.AddScoped<ConnectionSyncLock>();
        builder.Services.AddScoped<SyncConnectionJob>();
        builder.Services.AddScoped<SyncAllConnectionsJob>();
        builder.Services.AddScoped<SyncConnectionBatchJob>();
        builder.Services.AddScoped<SendDueReportsJob>();
        builder.Services.AddScoped<SendWeeklyReportJob>();
        builder.Services.AddScoped<SendWeeklyReportBatchJob>();
        builder.Services.AddScoped<Weeks.LeaderReports>();
        builder.Services.AddScoped<ReportResends>();
        builder.Services.AddScoped<SendReconnectNoticeJob>();
        builder.Services.AddScoped<PurgeExpiredMeetingsJob>();
        builder.Services.AddSingleton<IConnectionSecrets, DataProtectedConnectionSecrets>();
        builder.Services.AddSingleton<FeedAddressProtector>();
        KeyRingProtection.AddKeyRingProtection(builder);

        // Leaders type feed addresses into a shared server: its syncs never read a file on it,
        // whatever Calendars:Ics:AllowLocalFiles says (that setting is the CLI's).
        builder.Services.PostConfigure<CalendarsOptions>(o => o.Ics.AllowLocalFiles = false);
        builder.Services.AddHostedService<RecurringJobsRegistration>();
        return builder;
    }

    internal static string ResolveConnectionString(IConfiguration configuration, JobsOptions options) =>
        options.ConnectionString
        ?? configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"]
        ?? throw new InvalidOperationException("Jobs:ConnectionString or Storage:ConnectionString is required when Jobs:Storage is PostgreSql.");

    // One server per queue with its own workers, so a burst of syncs cannot starve the emails; the
    // queues not listed share one server, most urgent first.
    private static void AddServers(IServiceCollection services, JobsOptions options)
    {
        var shutdown = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds);
        foreach (var (queue, queueOptions) in options.Queues.Where(q => q.Value.Workers > 0))
        {
            services.AddHangfireServer(server =>
            {
                server.ServerName = $"{Environment.MachineName}:{queue.ToLowerInvariant()}";
                server.Queues = [queue.ToLowerInvariant()];
                server.WorkerCount = queueOptions.Workers;
                server.ShutdownTimeout = shutdown;
            });
        }

        var shared = Queues.Where(q => !options.Queues.ContainsKey(q)).ToArray();
        if (shared.Length > 0)
        {
            services.AddHangfireServer(server =>
            {
                server.ServerName = Environment.MachineName;
                server.Queues = shared;
                server.WorkerCount = options.WorkerCount;
                server.ShutdownTimeout = shutdown;
            });
        }
    }

    /// <summary>
    /// The Hangfire dashboard, for the service's operators only: it shows every organisation's jobs, so an
    /// organisation's admin gets the health summary at /admin/jobs instead (the endpoint's Operator policy
    /// decides; Hangfire's own filter is off).
    /// </summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            DisplayStorageConnectionString = false,
        }).RequireAuthorization(Auth.AuthSchemes.OperatorPolicy);
        return app;
    }

    private sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<JobsOptions> options, IOptions<RetentionOptions> retention) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
            recurring.AddOrUpdate<SyncAllConnectionsJob>(SyncAllConnectionsJob.Id, job => job.RunAsync(CancellationToken.None), options.Value.SyncCron, utc);
            recurring.AddOrUpdate<SendDueReportsJob>(SendDueReportsJob.Id, job => job.RunAsync(CancellationToken.None), options.Value.ReportsCron, utc);
            recurring.AddOrUpdate<PurgeExpiredMeetingsJob>(PurgeExpiredMeetingsJob.Id, job => job.RunAsync(CancellationToken.None), retention.Value.PurgeCron, utc);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
