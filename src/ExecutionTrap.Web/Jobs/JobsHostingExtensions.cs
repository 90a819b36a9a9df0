using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Connections;
using ExecutionTrap.Storage.Sync;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
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

        var options = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (options.Storage == JobStorageKind.PostgreSql)
            {
                var connectionString = options.ConnectionString
                    ?? builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"]
                    ?? throw new InvalidOperationException("Jobs:ConnectionString or Storage:ConnectionString is required when Jobs:Storage is PostgreSql.");
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), new PostgreSqlStorageOptions
                {
                    PrepareSchemaIfNecessary = true,

                    // A worker that dies (kill -9, a lost node) hides its jobs only this long; a live worker keeps its own hidden.
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromSeconds(options.InvisibilityTimeoutSeconds),
                    QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds),
                });
            }
            else
            {
                config.UseInMemoryStorage(new InMemoryStorageOptions());
            }
        });

        if (options.RunWorker)
        {
            builder.Services.AddHangfireServer(server =>
            {
                server.WorkerCount = options.WorkerCount;
                server.Queues = Queues;
            });
        }

        builder.Services.AddScoped<CalendarPageWriter>();
        builder.Services.AddScoped<SyncConnectionJob>();
        builder.Services.AddScoped<SyncAllConnectionsJob>();
        builder.Services.AddScoped<SendDueReportsJob>();
        builder.Services.AddScoped<SendWeeklyReportJob>();
        builder.Services.AddScoped<SendReconnectNoticeJob>();
        builder.Services.AddSingleton<IConnectionSecrets, DataProtectedConnectionSecrets>();
        builder.Services.AddHostedService<RecurringJobsRegistration>();
        return builder;
    }

    /// <summary>The Hangfire dashboard, for requests from this machine only until sign-in exists.</summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new LocalRequestsOnlyAuthorizationFilter()],
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    private sealed class RecurringJobsRegistration(IRecurringJobManager recurring, IOptions<JobsOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
            recurring.AddOrUpdate<SyncAllConnectionsJob>(SyncAllConnectionsJob.Id, job => job.RunAsync(CancellationToken.None), options.Value.SyncCron, utc);
            recurring.AddOrUpdate<SendDueReportsJob>(SendDueReportsJob.Id, job => job.RunAsync(CancellationToken.None), options.Value.ReportsCron, utc);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
