using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExecutionTrap.IntegrationTests.Calendars.Google;

/// <summary>The connector as the host wires it (<see cref="GoogleCalendarRegistration"/>), pointed at a replay server.</summary>
internal sealed class GoogleConnectorHost : IDisposable
{
    public const string ClientId = "client-id.apps.googleusercontent.com";

    private readonly IHost _host;

    public GoogleConnectorHost(GoogleReplayServer server, IConnectionSecrets secrets, int maxAttempts = 3)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendars:Google:ApiBaseUrl"] = server.ApiBaseUrl,
            ["Calendars:Google:TokenEndpoint"] = server.TokenEndpoint,
            ["Calendars:Google:AuthorizationEndpoint"] = server.BaseUrl + "/authorize",
            ["Calendars:Google:ClientId"] = ClientId,
            ["Calendars:Google:ClientSecret"] = "client-secret",
            ["Calendars:Google:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Back-off is real but short, so retry tests stay fast.
            ["Calendars:Google:BackoffBaseDelay"] = "00:00:00.005",
        });
        builder.Services.AddSingleton(secrets);
        GoogleCalendarRegistration.AddGoogleCalendar(builder);
        _host = builder.Build();
    }

    public GoogleCalendarSource Source => _host.Services.GetRequiredService<GoogleCalendarSource>();

    public GoogleTokenClient Tokens => _host.Services.GetRequiredService<GoogleTokenClient>();

    public GoogleCalendarSourceFactory Factory => _host.Services.GetRequiredService<GoogleCalendarSourceFactory>();

    public IEnumerable<ICalendarSource> AllSources => _host.Services.GetServices<ICalendarSource>();

    public void Dispose() => _host.Dispose();
}
