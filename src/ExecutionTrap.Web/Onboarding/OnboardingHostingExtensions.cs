using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Onboarding;

public static class OnboardingHostingExtensions
{
    public static IHostApplicationBuilder AddOnboarding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<OnboardingOptions>().BindConfiguration(OnboardingOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(DateTimeZoneProviders.Tzdb);
        builder.Services.AddScoped<LeaderOnboarding>();
        builder.Services.AddScoped<Weeks.LeaderWeeks>();
        return builder;
    }

    /// <summary>Migrates the database when configured to, then creates the leaders and calendars declared in configuration.</summary>
    public static async Task PrepareStorageAsync(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.MigrateOnStart)
        {
            await app.Services.MigrateStorageAsync();
        }

        // Only processes that serve the web declare leaders: workers starting side by side would race on them.
        var seeds = app.Services.GetRequiredService<IOptions<OnboardingOptions>>().Value.Leaders;
        if (seeds.Count == 0 || string.Equals(app.Configuration["Host:Role"], "worker", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var onboarding = scope.ServiceProvider.GetRequiredService<LeaderOnboarding>();
        var jobs = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
        foreach (var seed in seeds)
        {
            var leader = await onboarding.EnsureLeaderAsync(seed, CancellationToken.None);
            foreach (var calendar in seed.Calendars)
            {
                // "sample:leader-month.ics" names a shipped sample; anything else is a feed URL, checked like a leader's.
                CalendarConnection connection;
                try
                {
                    connection = calendar.StartsWith(IcsFeedAddresses.SamplePrefix, StringComparison.Ordinal)
                        ? await onboarding.AddSampleCalendarAsync(leader, calendar[IcsFeedAddresses.SamplePrefix.Length..], CancellationToken.None)
                        : await onboarding.AddIcsCalendarAsync(leader, calendar, CancellationToken.None);
                }
                catch (OnboardingException e)
                {
                    throw new InvalidOperationException(
                        $"Onboarding:Leaders: a calendar of {seed.Email} ({IcsFeedAddresses.Redact(calendar)}) is refused: {e.Message} A shipped sample is named sample:<file>.", e);
                }

                jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(connection.Id, CancellationToken.None));
            }
        }
    }
}
