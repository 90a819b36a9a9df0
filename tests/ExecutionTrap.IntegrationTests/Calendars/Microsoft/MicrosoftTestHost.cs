using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

/// <summary>A host wired by <see cref="MicrosoftCalendarRegistration"/> the way the app wires it, pointed at the replay server.</summary>
internal static class MicrosoftTestHost
{
    public const string Tenant = "contoso-tenant";
    public const string ClientId = "client-123";
    public const string ClientSecret = "client-secret-value";

    public static async Task<IHost> StartAsync(
        GraphReplayServer server,
        IConnectionSecrets secrets,
        TimeProvider? time = null,
        ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendars:Microsoft:GraphBaseUrl"] = server.GraphBaseUrl,
            ["Calendars:Microsoft:Authority"] = server.BaseUrl,
            ["Calendars:Microsoft:Tenant"] = Tenant,
            ["Calendars:Microsoft:ClientId"] = ClientId,
            ["Calendars:Microsoft:ClientSecret"] = ClientSecret,
            ["Calendars:Microsoft:PageSize"] = "2",
            ["Calendars:Microsoft:MaxAttempts"] = "3",
            ["Calendars:Microsoft:RetryBaseDelay"] = "00:00:00.010",
        });
        builder.Services.AddSingleton(secrets);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        MicrosoftCalendarRegistration.AddMicrosoftCalendar(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static string TokenAnswer(string accessToken, string? refreshToken, int expiresIn = 3599) =>
        refreshToken is null
            ? $$"""{"token_type":"Bearer","scope":"User.Read Calendars.Read","expires_in":{{expiresIn}},"access_token":"{{accessToken}}"}"""
            : $$"""{"token_type":"Bearer","scope":"User.Read Calendars.Read","expires_in":{{expiresIn}},"access_token":"{{accessToken}}","refresh_token":"{{refreshToken}}"}""";
}
