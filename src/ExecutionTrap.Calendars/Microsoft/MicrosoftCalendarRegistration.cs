using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>The Microsoft part of <c>AddCalendars()</c>.</summary>
internal static class MicrosoftCalendarRegistration
{
    public static void AddMicrosoftCalendar(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<MicrosoftCalendarOptions>()
            .BindConfiguration(MicrosoftCalendarOptions.SectionName)
            .ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
            new TenantRequestLimiter(sp.GetRequiredService<IOptions<MicrosoftCalendarOptions>>().Value.MaxConcurrencyPerTenant));
        var graph = services.AddHttpClient(GraphCalendarSource.HttpClientName);

        // Outermost: retries and their waits. Inner: the tenant slot, held only while a request is on the wire.
        graph.AddResilienceHandler("graph-retry", (pipeline, context) => GraphResilience.Configure(
                pipeline,
                context.ServiceProvider.GetRequiredService<IOptions<MicrosoftCalendarOptions>>().Value,
                context.ServiceProvider.GetRequiredService<TimeProvider>(),
                context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<GraphCalendarSource>()));
        graph.AddHttpMessageHandler(sp => new TenantConcurrencyHandler(sp.GetRequiredService<TenantRequestLimiter>()));
        services.AddHttpClient(MicrosoftTokenClient.HttpClientName)
            .AddStandardResilienceHandler();

        services.AddSingleton<MicrosoftTokenClient>();
        services.AddSingleton<IGraphTokenSource>(sp => sp.GetRequiredService<MicrosoftTokenClient>());
        services.AddSingleton<GraphCalendarSource>();
        services.AddSingleton<ICalendarSource>(sp => sp.GetRequiredService<GraphCalendarSource>());
    }
}
