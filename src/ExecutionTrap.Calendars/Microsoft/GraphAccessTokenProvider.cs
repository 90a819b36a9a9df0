using Microsoft.Kiota.Abstractions.Authentication;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// Hands Kiota the token of one connection. The hosts validator is empty on purpose: the base URL
/// comes from configuration (national clouds, a local replay server), and Graph's own provider
/// would refuse every host but graph.microsoft.com.
/// </summary>
internal sealed class GraphAccessTokenProvider(IGraphTokenSource tokens, Guid connectionId) : IAccessTokenProvider
{
    private int _refreshOnNextRequest;

    public AllowedHostsValidator AllowedHostsValidator { get; } = new();

    /// <summary>Called after a 401: the next request gets a freshly refreshed token instead of the cached one.</summary>
    public void RefreshOnNextRequest() => Interlocked.Exchange(ref _refreshOnNextRequest, 1);

    public Task<string> GetAuthorizationTokenAsync(
        Uri uri,
        Dictionary<string, object>? additionalAuthenticationContext = null,
        CancellationToken cancellationToken = default) =>
        tokens.GetAccessTokenAsync(connectionId, Interlocked.Exchange(ref _refreshOnNextRequest, 0) == 1, cancellationToken);
}
