using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Calendars;

public static class CalendarsHostingExtensions
{
    /// <summary>
    /// Registers every calendar source as an <see cref="ICalendarSource"/> (resolve
    /// <c>IEnumerable&lt;ICalendarSource&gt;</c> and pick by <see cref="ICalendarSource.Provider"/>),
    /// the <see cref="CalendarsOptions"/> and their HTTP clients.
    /// </summary>
    public static IHostApplicationBuilder AddCalendars(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<CalendarsOptions>()
            .BindConfiguration(CalendarsOptions.SectionName)
            .ValidateDataAnnotations();
        builder.Services.TryAddSingleton(TimeProvider.System);

        AddIcs(builder.Services);
        MicrosoftCalendarRegistration.AddMicrosoftCalendar(builder);
        GoogleCalendarRegistration.AddGoogleCalendar(builder);
        return builder;
    }

    private static void AddIcs(IServiceCollection services)
    {
        services.AddHttpClient(IcsFeedReader.HttpClientName, client =>
            {
                // The resilience handler and the reader's own deadline time the read.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("ExecutionTrap/1.0");
                client.DefaultRequestHeaders.Accept.ParseAdd("text/calendar");
                client.DefaultRequestHeaders.Accept.ParseAdd("*/*;q=0.5");
            })
            .ConfigurePrimaryHttpMessageHandler(services => IcsGuardedHandler.Create(
                services.GetRequiredService<IcsAddressPolicy>(), services.GetRequiredService<IIcsHostResolver>()))

            // The default request logs print the URL, and a feed's URL is its password.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler()
            .Configure((resilience, services) =>
            {
                var total = TimeSpan.FromSeconds(services.GetRequiredService<IOptions<CalendarsOptions>>().Value.Ics.TimeoutSeconds);
                var attempt = total / 2;
                resilience.TotalRequestTimeout.Timeout = total;
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * attempt.Ticks));

                // A refused address is refused again on retry; it is a leader's mistake, not a failing host.
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                    !IcsGuardedHandler.IsRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(
                    !IcsGuardedHandler.IsRefusal(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            })

            // One retry budget and circuit per feed host: one leader's failing feed never opens the circuit for everyone's.
            .SelectPipelineByAuthority();

        services.TryAddSingleton<IIcsHostResolver, DnsIcsHostResolver>();
        services.TryAddSingleton(services => new IcsAddressPolicy(services.GetRequiredService<IOptions<CalendarsOptions>>().Value.Ics.AllowedNetworks));
        services.TryAddSingleton<IcsFeedAddresses>();
        services.TryAddSingleton<IcsFeedReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICalendarSource, IcsCalendarSource>());
    }
}
