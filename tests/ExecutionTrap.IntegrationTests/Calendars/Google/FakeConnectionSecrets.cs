using System.Collections.Concurrent;
using ExecutionTrap.Domain.Calendars;

namespace ExecutionTrap.IntegrationTests.Calendars.Google;

/// <summary>Refresh tokens in a dictionary, with every save and reconnect mark recorded.</summary>
internal sealed class FakeConnectionSecrets : IConnectionSecrets
{
    private readonly ConcurrentDictionary<Guid, string> _tokens = new();

    public ConcurrentQueue<(Guid ConnectionId, string RefreshToken)> Saved { get; } = new();

    public ConcurrentQueue<(Guid ConnectionId, string Reason)> MarkedNeedsReconnect { get; } = new();

    public FakeConnectionSecrets With(Guid connectionId, string refreshToken)
    {
        _tokens[connectionId] = refreshToken;
        return this;
    }

    public string? Current(Guid connectionId) => _tokens.GetValueOrDefault(connectionId);

    public Task<string?> GetRefreshTokenAsync(Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.GetValueOrDefault(connectionId));

    public Task SaveRefreshTokenAsync(Guid connectionId, string refreshToken, CancellationToken cancellationToken)
    {
        _tokens[connectionId] = refreshToken;
        Saved.Enqueue((connectionId, refreshToken));
        return Task.CompletedTask;
    }

    public Task MarkNeedsReconnectAsync(Guid connectionId, string reason, CancellationToken cancellationToken)
    {
        MarkedNeedsReconnect.Enqueue((connectionId, reason));
        return Task.CompletedTask;
    }
}
