using System.Collections.Concurrent;
using ExecutionTrap.Domain.Calendars;

namespace ExecutionTrap.IntegrationTests.Calendars.Microsoft;

/// <summary>An in-memory <see cref="IConnectionSecrets"/> that remembers what it was asked to do.</summary>
internal sealed class FakeConnectionSecrets : IConnectionSecrets
{
    private readonly ConcurrentDictionary<Guid, string> _refreshTokens = new();
    private readonly ConcurrentQueue<(Guid ConnectionId, string Reason)> _reconnects = new();

    public IReadOnlyList<(Guid ConnectionId, string Reason)> NeedsReconnect => [.. _reconnects];

    public int Saves { get; private set; }

    public void Hold(Guid connectionId, string refreshToken) => _refreshTokens[connectionId] = refreshToken;

    public string? Held(Guid connectionId) => _refreshTokens.TryGetValue(connectionId, out var token) ? token : null;

    public Task<string?> GetRefreshTokenAsync(Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(Held(connectionId));

    public Task SaveRefreshTokenAsync(Guid connectionId, string refreshToken, CancellationToken cancellationToken)
    {
        _refreshTokens[connectionId] = refreshToken;
        Saves++;
        return Task.CompletedTask;
    }

    public Task MarkNeedsReconnectAsync(Guid connectionId, string reason, CancellationToken cancellationToken)
    {
        _reconnects.Enqueue((connectionId, reason));
        return Task.CompletedTask;
    }
}
