using ExecutionTrap.Domain.Calendars;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Calendars.Google;

/// <summary>Builds Google sources: one that signs in as each stored connection (the service), one with a fixed access token (the CLI).</summary>
internal sealed class GoogleCalendarSourceFactory(
    GoogleHttpClients httpClients,
    IOptions<GoogleCalendarOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>Reads each connection with an access token refreshed from its stored refresh token.</summary>
    public GoogleCalendarSource ForConnections(GoogleTokenClient tokens) =>
        Create(request => new GoogleConnectionCredential(tokens, request.ConnectionId, time), options.Value.ApiBaseUrl);

    /// <summary>
    /// Reads with an access token the caller already has (<c>etrap fetch --provider google --access-token</c>);
    /// <paramref name="apiBaseUrl"/> is the root <c>calendars/primary/events</c> is appended to, default the configured one.
    /// </summary>
    public GoogleCalendarSource ForAccessToken(string accessToken, string? apiBaseUrl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        var credential = GoogleCredential.FromAccessToken(accessToken.Trim());
        return Create(_ => credential, string.IsNullOrWhiteSpace(apiBaseUrl) ? options.Value.ApiBaseUrl : apiBaseUrl);
    }

    private GoogleCalendarSource Create(
        Func<CalendarReadRequest, IConfigurableHttpClientInitializer> credentialFor, string apiBaseUrl) =>
        new(httpClients, credentialFor, apiBaseUrl, options.Value, time, loggers.CreateLogger<GoogleCalendarSource>());
}
