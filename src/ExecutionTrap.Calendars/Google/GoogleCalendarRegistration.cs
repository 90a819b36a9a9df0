using System.Net;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ExecutionTrap.Calendars.Google;

/// <summary>The Google Calendar part of <c>AddCalendars()</c>.</summary>
internal static class GoogleCalendarRegistration
{
    /// <summary>
    /// Registers <see cref="GoogleCalendarOptions"/>, the <c>Google</c> HTTP client, <see cref="GoogleTokenClient"/>
    /// (needs an <see cref="IConnectionSecrets"/> from storage), <see cref="GoogleCalendarSourceFactory"/>, and
    /// <see cref="GoogleCalendarSource"/> as an <see cref="ICalendarSource"/>.
    /// </summary>
    public static void AddGoogleCalendar(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<GoogleCalendarOptions>()
            .BindConfiguration(GoogleCalendarOptions.SectionName)
            .ValidateDataAnnotations();
        services.TryAddSingleton(TimeProvider.System);

        // No standard resilience handler here: Google signals rate limits with 403 reasons that only the
        // connector reads, so the connector owns the retries (GoogleCalendarSource) and a second layer
        // would multiply them.
        services.AddHttpClient(GoogleHttpClients.Name).ConfigurePrimaryHttpMessageHandler(() =>
            new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.All });
        services.AddHttpClient(GoogleHttpClients.UncompressedName).ConfigurePrimaryHttpMessageHandler(() =>
            new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
        services.TryAddSingleton<GoogleHttpClients>();
        services.TryAddSingleton<GoogleTokenClient>();
        services.TryAddSingleton<GoogleCalendarSourceFactory>();
        services.TryAddSingleton(sp => sp.GetRequiredService<GoogleCalendarSourceFactory>()
            .ForConnections(sp.GetRequiredService<GoogleTokenClient>()));
        services.AddSingleton<ICalendarSource>(sp => sp.GetRequiredService<GoogleCalendarSource>());
    }
}
