using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

public static class ClassificationServicesHostingExtensions
{
    /// <summary>Organisation rules, corrections, per-organisation models and their nightly retraining.</summary>
    public static IHostApplicationBuilder AddClassificationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(DateTimeZoneProviders.Tzdb);
        builder.Services.AddOptionsWithValidateOnStart<ModelRetrainingOptions>()
            .BindConfiguration(ModelRetrainingOptions.SectionName)
            .ValidateDataAnnotations();
        builder.Services.AddSingleton<OrganisationClassifiers>();
        builder.Services.AddScoped<ClassificationRules>();
        builder.Services.AddScoped<MeetingCorrections>();
        builder.Services.AddScoped<ModelVersions>();
        builder.Services.AddScoped<ModelRetrainer>();
        builder.Services.AddScoped<RetrainModelJob>();
        builder.Services.AddHostedService<RetrainingSchedule>();
        return builder;
    }

    private sealed class RetrainingSchedule(IRecurringJobManager recurring, IOptions<ModelRetrainingOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<RetrainModelJob>(
                RetrainModelJob.Id,
                job => job.RunAllAsync(CancellationToken.None),
                options.Value.Cron,
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
