using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;

namespace ExecutionTrap.Web.Leaders;

/// <summary>
/// Tells the provider to forget a grant when its owner disconnects or deletes their data. Google
/// revokes a refresh token on request; Microsoft has no such endpoint, so the token is only destroyed here.
/// </summary>
internal sealed partial class GrantRevocation(IConnectionSecrets secrets, IHttpClientFactory httpClients, ILogger<GrantRevocation> logger)
{
    public const string HttpClientName = "grant-revocation";

    private static readonly Uri GoogleRevokeEndpoint = new("https://oauth2.googleapis.com/revoke");

    public async Task RevokeAsync(CalendarConnection connection, CancellationToken cancellationToken)
    {
        if (connection.Provider != CalendarProvider.Google || connection.ProtectedRefreshToken is null)
        {
            return;
        }

        try
        {
            var token = await secrets.GetRefreshTokenAsync(connection.Id, cancellationToken);
            if (token is null)
            {
                return;
            }

            using var content = new FormUrlEncodedContent([new("token", token)]);
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(GoogleRevokeEndpoint, content, cancellationToken);
            LogRevoked(connection.Id, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Security.Cryptography.CryptographicException)
        {
            // The local copy is deleted either way; the grant then expires unused at Google.
            LogRevokeFailed(connection.Id, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked Google to revoke the grant of connection {ConnectionId}: HTTP {Status}")]
    private partial void LogRevoked(Guid connectionId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not revoke the Google grant of connection {ConnectionId} ({Error})")]
    private partial void LogRevokeFailed(Guid connectionId, string error);
}
