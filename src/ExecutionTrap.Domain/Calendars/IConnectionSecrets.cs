namespace ExecutionTrap.Domain.Calendars;

/// <summary>
/// Keeps each connection's OAuth refresh token encrypted at rest, readable by every worker.
/// One mechanism for every provider; connectors never store tokens themselves.
/// </summary>
public interface IConnectionSecrets
{
    /// <summary>The connection's refresh token, decrypted; null when none is held.</summary>
    Task<string?> GetRefreshTokenAsync(Guid connectionId, CancellationToken cancellationToken);

    /// <summary>Stores a (rotated) refresh token, encrypted.</summary>
    Task SaveRefreshTokenAsync(Guid connectionId, string refreshToken, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the connection as needing the leader to connect again (revoked or expired grant),
    /// notifying the leader once; other connections are untouched.
    /// </summary>
    Task MarkNeedsReconnectAsync(Guid connectionId, string reason, CancellationToken cancellationToken);
}
