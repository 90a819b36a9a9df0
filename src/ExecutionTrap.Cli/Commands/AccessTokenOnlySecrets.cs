using ExecutionTrap.Domain.Calendars;

namespace ExecutionTrap.Cli.Commands;

/// <summary>The CLI is handed an access token and keeps no refresh tokens: there is nothing to store or mark.</summary>
internal sealed class AccessTokenOnlySecrets : IConnectionSecrets
{
    public Task<string?> GetRefreshTokenAsync(Guid connectionId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task SaveRefreshTokenAsync(Guid connectionId, string refreshToken, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MarkNeedsReconnectAsync(Guid connectionId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
