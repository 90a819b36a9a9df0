using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>Tokens answered by the Microsoft identity platform.</summary>
/// <param name="AccessToken">The bearer token for Graph.</param>
/// <param name="RefreshToken">The (possibly rotated) refresh token, when one was issued.</param>
/// <param name="ExpiresAt">When the access token stops working.</param>
internal sealed record MicrosoftTokens(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt)
{
    // Records print every member; these hold secrets.
    public override string ToString() => $"MicrosoftTokens {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>
/// Talks to <c>{Authority}/{Tenant}/oauth2/v2.0/token</c>: refreshes each connection's access token
/// from the refresh token held by <see cref="IConnectionSecrets"/>, saves rotated refresh tokens,
/// caches access tokens until shortly before they expire, and exchanges connect-flow codes.
/// Tokens never reach a log line or an exception message.
/// </summary>
internal sealed partial class MicrosoftTokenClient(
    IHttpClientFactory httpClients,
    IConnectionSecrets secrets,
    IOptions<MicrosoftCalendarOptions> options,
    TimeProvider time,
    ILogger<MicrosoftTokenClient> logger) : IGraphTokenSource
{
    public const string HttpClientName = "microsoft-login";
    public const string Scope = "offline_access User.Read Calendars.Read";

    private const string Redacted = "[redacted]";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly string[] ReconnectErrors = ["invalid_grant", "interaction_required", "consent_required"];

    private readonly ConcurrentDictionary<Guid, ConnectionTokens> _connections = new();
    private readonly MicrosoftCalendarOptions _options = options.Value;

    private Uri TokenEndpoint => new($"{_options.Authority.TrimEnd('/')}/{Uri.EscapeDataString(_options.Tenant)}/oauth2/v2.0/token");

    /// <summary>The sign-in page the connect flow redirects the leader to (authorization code + PKCE S256).</summary>
    public Uri BuildAuthorizeUrl(string state, string codeChallenge, string redirectUri)
    {
        var clientId = _options.ClientId is { Length: > 0 } id
            ? id
            : throw new InvalidOperationException(NotConfigured);
        var query = string.Join('&', new[]
        {
            ("client_id", clientId),
            ("response_type", "code"),
            ("redirect_uri", redirectUri),
            ("response_mode", "query"),
            ("scope", Scope),
            ("state", state),
            ("code_challenge", codeChallenge),
            ("code_challenge_method", Pkce.Method),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return new Uri($"{_options.Authority.TrimEnd('/')}/{Uri.EscapeDataString(_options.Tenant)}/oauth2/v2.0/authorize?{query}");
    }

    /// <summary>Redeems the code from the connect callback; the caller saves the refresh token.</summary>
    public async Task<MicrosoftTokens> ExchangeCodeAsync(
        string code,
        string codeVerifier,
        string redirectUri,
        CancellationToken cancellationToken)
    {
        var form = BaseForm("authorization_code");
        form.Add(new("code", code));
        form.Add(new("redirect_uri", redirectUri));
        form.Add(new("code_verifier", codeVerifier));
        return await RequestTokensAsync(form, connectionId: null, [code, codeVerifier], cancellationToken);
    }

    public async Task<string> GetAccessTokenAsync(Guid connectionId, bool forceRefresh, CancellationToken cancellationToken)
    {
        var connection = _connections.GetOrAdd(connectionId, _ => new ConnectionTokens());
        if (!forceRefresh && connection.FreshToken(time.GetUtcNow()) is { } cached)
        {
            return cached;
        }

        await connection.Lock.WaitAsync(cancellationToken);
        try
        {
            // Another sync of the same connection may have refreshed while this one waited.
            if (!forceRefresh && connection.FreshToken(time.GetUtcNow()) is { } refreshed)
            {
                return refreshed;
            }

            var refreshToken = await secrets.GetRefreshTokenAsync(connectionId, cancellationToken);
            if (string.IsNullOrEmpty(refreshToken))
            {
                const string reason = "No Microsoft refresh token is held for this connection.";
                await secrets.MarkNeedsReconnectAsync(connectionId, reason, cancellationToken);
                throw new CalendarSourceException(CalendarErrorKind.NeedsReconnect, reason);
            }

            var form = BaseForm("refresh_token");
            form.Add(new("refresh_token", refreshToken));
            var tokens = await RequestTokensAsync(form, connectionId, [refreshToken], cancellationToken);
            if (tokens.RefreshToken is { Length: > 0 } rotated && !string.Equals(rotated, refreshToken, StringComparison.Ordinal))
            {
                await secrets.SaveRefreshTokenAsync(connectionId, rotated, cancellationToken);
                LogRotated(logger, connectionId);
            }

            connection.Store(tokens.AccessToken, RefreshAt(time.GetUtcNow(), tokens.ExpiresAt));
            LogRefreshed(logger, connectionId, tokens.ExpiresAt);
            return tokens.AccessToken;
        }
        finally
        {
            connection.Lock.Release();
        }
    }

    private static string NotConfigured =>
        $"Microsoft sign-in is not configured: set {MicrosoftCalendarOptions.SectionName}:ClientId.";

    private static DateTimeOffset RefreshAt(DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var lifetime = expiresAt - now;
        var margin = lifetime / 2 < RefreshMargin ? lifetime / 2 : RefreshMargin;
        return expiresAt - margin;
    }

    private List<KeyValuePair<string, string>> BaseForm(string grantType)
    {
        var clientId = _options.ClientId is { Length: > 0 } id
            ? id
            : throw new CalendarSourceException(CalendarErrorKind.Forbidden, NotConfigured);
        var form = new List<KeyValuePair<string, string>>
        {
            new("client_id", clientId),
            new("grant_type", grantType),
            new("scope", Scope),
        };
        if (_options.ClientSecret is { Length: > 0 } secret)
        {
            form.Add(new("client_secret", secret));
        }

        return form;
    }

    private async Task<MicrosoftTokens> RequestTokensAsync(
        List<KeyValuePair<string, string>> form,
        Guid? connectionId,
        string[] hidden,
        CancellationToken cancellationToken)
    {
        int status;
        string body;
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(TokenEndpoint, content, cancellationToken);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CalendarSourceException(
                CalendarErrorKind.ProviderUnavailable,
                $"Microsoft sign-in at {TokenEndpoint.Host} could not be reached.",
                ex);
        }

        var answer = TokenAnswer.Parse(body);
        if (status is >= 200 and < 300 && answer.AccessToken is { Length: > 0 } accessToken)
        {
            return new MicrosoftTokens(accessToken, answer.RefreshToken, time.GetUtcNow().AddSeconds(answer.ExpiresIn ?? 3600));
        }

        var error = answer.Error ?? $"HTTP {status}";
        var description = Scrub(answer.Description, [.. hidden, .. ClientSecretList()]);
        if (status is >= 400 and < 500 && ReconnectErrors.Contains(answer.Error, StringComparer.OrdinalIgnoreCase))
        {
            var reason = description is null
                ? $"Microsoft sign-in refused the grant ({error}); the leader must connect again."
                : $"Microsoft sign-in refused the grant ({error}: {description}); the leader must connect again.";
            if (connectionId is { } id)
            {
                LogRefused(logger, id, error);
                await secrets.MarkNeedsReconnectAsync(id, reason, cancellationToken);
            }

            throw new CalendarSourceException(CalendarErrorKind.NeedsReconnect, reason) { HttpStatus = status };
        }

        if (status is >= 500 or 429 or 408 || (status is >= 200 and < 300))
        {
            throw new CalendarSourceException(
                CalendarErrorKind.ProviderUnavailable,
                $"Microsoft sign-in answered {status} without a usable token ({error}).")
            { HttpStatus = status };
        }

        throw new CalendarSourceException(
            CalendarErrorKind.Forbidden,
            description is null
                ? $"Microsoft sign-in refused the request ({error})."
                : $"Microsoft sign-in refused the request ({error}: {description}).")
        { HttpStatus = status };
    }

    private string[] ClientSecretList() => _options.ClientSecret is { Length: > 0 } secret ? [secret] : [];

    /// <summary>The first line of a description, shortened, with every secret we sent replaced.</summary>
    private static string? Scrub(string? description, string[] hidden)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return null;
        }

        var text = description;
        foreach (var secret in hidden.Where(s => s.Length > 0))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        var lineEnd = text.IndexOfAny(['\r', '\n']);
        text = (lineEnd < 0 ? text : text[..lineEnd]).Trim();
        return text.Length <= 200 ? text : text[..200];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed the Microsoft access token of connection {ConnectionId}; it expires at {ExpiresAt}")]
    private static partial void LogRefreshed(ILogger logger, Guid connectionId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Microsoft rotated the refresh token of connection {ConnectionId}; the new one is saved")]
    private static partial void LogRotated(ILogger logger, Guid connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Microsoft sign-in refused to refresh connection {ConnectionId} ({Error}); it needs to be connected again")]
    private static partial void LogRefused(ILogger logger, Guid connectionId, string error);

    private sealed class ConnectionTokens
    {
        private CachedToken? _current;

        public SemaphoreSlim Lock { get; } = new(1, 1);

        public string? FreshToken(DateTimeOffset now)
        {
            var current = Volatile.Read(ref _current);
            return current is not null && now < current.RefreshAt ? current.Token : null;
        }

        public void Store(string token, DateTimeOffset refreshAt) => Volatile.Write(ref _current, new CachedToken(token, refreshAt));

        private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);
    }

    private sealed record TokenAnswer(string? AccessToken, string? RefreshToken, double? ExpiresIn, string? Error, string? Description)
    {
        public static TokenAnswer Parse(string body)
        {
            try
            {
                using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return new TokenAnswer(null, null, null, null, null);
                }

                return new TokenAnswer(
                    Text(root, "access_token"),
                    Text(root, "refresh_token"),
                    Seconds(root, "expires_in"),
                    Text(root, "error"),
                    Text(root, "error_description"));
            }
            catch (JsonException)
            {
                return new TokenAnswer(null, null, null, "an unreadable answer", null);
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        // The v2 endpoint sends a number; older endpoints and proxies send a string.
        private static double? Seconds(JsonElement root, string name) =>
            !root.TryGetProperty(name, out var value) ? null
            : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
            : value.ValueKind == JsonValueKind.String
                && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds
            : null;
    }
}
