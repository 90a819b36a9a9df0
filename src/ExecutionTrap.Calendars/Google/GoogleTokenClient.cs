using System.Text;
using ExecutionTrap.Domain.Calendars;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ExecutionTrap.Calendars.Google;

/// <summary>A short-lived access token and when it stops working.</summary>
internal sealed record GoogleAccessToken(string Value, DateTimeOffset ExpiresAt)
{
    // Never print the token itself, not even in a debugger's or a log's view of the record.
    public override string ToString() => $"GoogleAccessToken(expires {ExpiresAt:O})";
}

/// <summary>What connecting a Google calendar produced: who granted it, and whether a refresh token is now held.</summary>
internal sealed record GoogleConnectResult(string? Email, bool RefreshTokenSaved);

/// <summary>
/// Google's OAuth endpoints through Google.Apis.Auth: the authorization URL and PKCE code exchange of the
/// web connect flow, and access-token refresh for the sync. Refresh tokens live only in
/// <see cref="IConnectionSecrets"/>; they are never logged nor put in an exception message.
/// </summary>
internal sealed class GoogleTokenClient
{
    public const string CalendarScope = "https://www.googleapis.com/auth/calendar.events.readonly";

    public static readonly IReadOnlyList<string> Scopes = ["openid", "email", CalendarScope];

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly GoogleCalendarOptions _options;
    private readonly IConnectionSecrets _secrets;
    private static readonly TimeSpan CacheMargin = TimeSpan.FromMinutes(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, GoogleAccessToken> _cache = new();
    private readonly TimeProvider _time;
    private readonly ILogger<GoogleTokenClient> _logger;
    private readonly Lazy<PkceGoogleAuthorizationCodeFlow> _flow;

    public GoogleTokenClient(
        IOptions<GoogleCalendarOptions> options,
        IConnectionSecrets secrets,
        GoogleHttpClients httpClients,
        TimeProvider time,
        ILogger<GoogleTokenClient> logger)
    {
        _options = options.Value;
        _secrets = secrets;
        _time = time;
        _logger = logger;
        _flow = new Lazy<PkceGoogleAuthorizationCodeFlow>(() => CreateFlow(httpClients));
    }

    /// <summary>
    /// The URL to send the leader's browser to. Consent is forced only when no refresh token is held,
    /// because Google returns a refresh token on the first consent only.
    /// </summary>
    public string BuildAuthorizeUrl(string state, string codeChallenge, string redirectUri, bool refreshTokenHeld)
    {
        var request = new GoogleAuthorizationCodeRequestUrl(new Uri(_options.AuthorizationEndpoint))
        {
            ClientId = RequireClientId(),
            RedirectUri = redirectUri,
            Scope = string.Join(' ', Scopes),
            State = state,
            AccessType = "offline",
            Prompt = refreshTokenHeld ? null : "consent",
            CodeChallenge = codeChallenge,
            CodeChallengeMethod = "S256",
        };
        return request.Build().AbsoluteUri;
    }

    /// <summary>Exchanges the authorization code (with its PKCE verifier) and stores the refresh token for the connection.</summary>
    /// <exception cref="CalendarSourceException">Google refused the code, or gave no refresh token while none is held.</exception>
    public async Task<GoogleConnectResult> ExchangeCodeAsync(
        Guid connectionId, string code, string codeVerifier, string redirectUri, CancellationToken cancellationToken)
    {
        TokenResponse response;
        try
        {
            response = await _flow.Value.ExchangeCodeForTokenAsync(
                connectionId.ToString(), code, codeVerifier, redirectUri, cancellationToken);
        }
        catch (TokenResponseException ex)
        {
            throw Refused(ex, "the authorization code");
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }

        var saved = false;
        if (!string.IsNullOrEmpty(response.RefreshToken))
        {
            await _secrets.SaveRefreshTokenAsync(connectionId, response.RefreshToken, cancellationToken);
            saved = true;
        }
        else if (await _secrets.GetRefreshTokenAsync(connectionId, cancellationToken) is null)
        {
            throw new CalendarSourceException(
                CalendarErrorKind.NeedsReconnect,
                "Google granted access without a refresh token, so the calendar could not be read later; connect again and accept the consent screen.");
        }

        GoogleTokenLog.CodeExchanged(_logger, connectionId, saved);
        return new GoogleConnectResult(EmailOf(response.IdToken), saved);
    }

    /// <summary>A fresh access token for the connection; a rotated refresh token is saved back.</summary>
    /// <exception cref="CalendarSourceException">
    /// <see cref="CalendarErrorKind.NeedsReconnect"/> when the grant was revoked or expired (the connection is marked);
    /// <see cref="CalendarErrorKind.ProviderUnavailable"/> when the token endpoint cannot be reached.
    /// </exception>
    /// <summary>The connection's access token: the cached one while it has time left, else a fresh one.</summary>
    public async Task<GoogleAccessToken> GetAccessTokenAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        // An unchanged calendar should cost one calendar request, not a token request on every sync.
        if (_cache.TryGetValue(connectionId, out var cached) && cached.ExpiresAt - CacheMargin > _time.GetUtcNow())
        {
            return cached;
        }

        return await RefreshAccessTokenAsync(connectionId, cancellationToken);
    }

    /// <summary>A fresh access token from the refresh token, replacing any cached one.</summary>
    public async Task<GoogleAccessToken> RefreshAccessTokenAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        _cache.TryRemove(connectionId, out _);
        var refreshToken = await _secrets.GetRefreshTokenAsync(connectionId, cancellationToken);
        if (string.IsNullOrEmpty(refreshToken))
        {
            const string reason = "No Google refresh token is held for this connection.";
            await _secrets.MarkNeedsReconnectAsync(connectionId, reason, cancellationToken);
            throw new CalendarSourceException(CalendarErrorKind.NeedsReconnect, reason + " Connect the calendar again.");
        }

        TokenResponse response;
        try
        {
            response = await _flow.Value.RefreshTokenAsync(connectionId.ToString(), refreshToken, cancellationToken);
        }
        catch (TokenResponseException ex) when (ex.Error?.Error == "invalid_grant")
        {
            var reason = $"Google refused the refresh token (invalid_grant: {ex.Error.ErrorDescription ?? "no description"}).";
            GoogleTokenLog.GrantRevoked(_logger, connectionId, ex.Error.ErrorDescription);
            await _secrets.MarkNeedsReconnectAsync(connectionId, reason, cancellationToken);
            throw new CalendarSourceException(
                CalendarErrorKind.NeedsReconnect,
                reason + " The grant was revoked or expired: connect the Google calendar again.",
                ex)
            { HttpStatus = (int?)ex.StatusCode };
        }
        catch (TokenResponseException ex)
        {
            throw Refused(ex, "the refresh token");
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }

        if (!string.IsNullOrEmpty(response.RefreshToken) && !string.Equals(response.RefreshToken, refreshToken, StringComparison.Ordinal))
        {
            await _secrets.SaveRefreshTokenAsync(connectionId, response.RefreshToken, cancellationToken);
            GoogleTokenLog.RefreshTokenRotated(_logger, connectionId);
        }

        var lifetime = response.ExpiresInSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
        var token = new GoogleAccessToken(response.AccessToken, _time.GetUtcNow() + lifetime);
        _cache[connectionId] = token;
        return token;
    }

    private PkceGoogleAuthorizationCodeFlow CreateFlow(GoogleHttpClients httpClients) =>
        new(new FlowInitializer(_options.AuthorizationEndpoint, _options.TokenEndpoint)
        {
            ClientSecrets = new ClientSecrets { ClientId = RequireClientId(), ClientSecret = _options.ClientSecret },
            Scopes = Scopes,
            HttpClientFactory = httpClients.Factory,
        });

    // Google.Apis.Auth lets only a subclass point the flow at other endpoints (configuration, tests).
    private sealed class FlowInitializer(string authorizationServerUrl, string tokenServerUrl)
        : GoogleAuthorizationCodeFlow.Initializer(authorizationServerUrl, tokenServerUrl, GoogleAuthConsts.RevokeTokenUrl);

    private string RequireClientId() =>
        string.IsNullOrWhiteSpace(_options.ClientId)
            ? throw new InvalidOperationException(
                $"Google Calendar is not configured: set {GoogleCalendarOptions.SectionName}:ClientId (and ClientSecret) to connect Google calendars.")
            : _options.ClientId;

    private static CalendarSourceException Refused(TokenResponseException ex, string what)
    {
        var status = (int?)ex.StatusCode;
        var kind = status >= 500 ? CalendarErrorKind.ProviderUnavailable
            : ex.Error?.Error == "invalid_grant" ? CalendarErrorKind.NeedsReconnect
            : CalendarErrorKind.Forbidden;
        return new CalendarSourceException(
            kind,
            $"Google's token endpoint refused {what} (HTTP {status?.ToString() ?? "unknown"}, {ex.Error?.Error ?? "no error code"}: {ex.Error?.ErrorDescription ?? "no description"}).",
            ex)
        { HttpStatus = status };
    }

    private static CalendarSourceException Unreachable(HttpRequestException ex) =>
        new(CalendarErrorKind.ProviderUnavailable, $"Google's token endpoint could not be reached: {ex.Message}", ex)
        {
            HttpStatus = (int?)ex.StatusCode,
        };

    // The id token comes straight from the token endpoint over TLS, so its claims are read
    // without checking the signature (OpenID Connect Core 3.1.3.7).
    private static string? EmailOf(string? idToken)
    {
        var parts = idToken?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            var claims = JObject.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return claims.Value<string>("email");
        }
        catch (Exception ex) when (ex is FormatException or Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}

internal static partial class GoogleTokenLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Google authorization code exchanged for connection {ConnectionId}; refresh token saved: {RefreshTokenSaved}")]
    public static partial void CodeExchanged(ILogger logger, Guid connectionId, bool refreshTokenSaved);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Google rotated the refresh token of connection {ConnectionId}; the new one is saved")]
    public static partial void RefreshTokenRotated(ILogger logger, Guid connectionId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Google refused the grant of connection {ConnectionId} (invalid_grant: {Description}); marked as needing a reconnect")]
    public static partial void GrantRevoked(ILogger logger, Guid connectionId, string? description);
}
