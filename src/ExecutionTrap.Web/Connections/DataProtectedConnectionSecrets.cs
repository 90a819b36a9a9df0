using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Connections;

/// <summary>
/// Refresh tokens encrypted with the data-protection key ring that every worker reads from the
/// database. One mechanism for Microsoft 365 and Google alike.
/// </summary>
internal sealed partial class DataProtectedConnectionSecrets(
    IServiceScopeFactory scopes,
    IDataProtectionProvider protection,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<DataProtectedConnectionSecrets> logger) : IConnectionSecrets
{
    private readonly IDataProtector _protector = protection.CreateProtector("ExecutionTrap.ConnectionSecrets.RefreshToken.v1");

    public async Task<string?> GetRefreshTokenAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var protectedToken = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.ProtectedRefreshToken).SingleOrDefaultAsync(cancellationToken);
        return protectedToken is null ? null : _protector.Unprotect(protectedToken);
    }

    public async Task SaveRefreshTokenAsync(Guid connectionId, string refreshToken, CancellationToken cancellationToken)
    {
        var protectedToken = _protector.Protect(refreshToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        await db.Connections.Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedRefreshToken, protectedToken), cancellationToken);
    }

    public async Task MarkNeedsReconnectAsync(Guid connectionId, string reason, CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var message = reason.Length > 1000 ? reason[..1000] : reason;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        await db.Connections.Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect)
                    .SetProperty(c => c.LastError, message)
                    .SetProperty(c => c.LastErrorKind, CalendarErrorKind.NeedsReconnect),
                cancellationToken);

        // Only the caller that flips the notice stamp from empty sends the e-mail: one notice per lost grant.
        var first = await db.Connections.Where(c => c.Id == connectionId && c.ReconnectNoticeSentAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ReconnectNoticeSentAt, now), cancellationToken);
        if (first == 1)
        {
            jobs.Enqueue<SendReconnectNoticeJob>(job => job.RunAsync(connectionId, CancellationToken.None));
            LogNeedsReconnect(connectionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} lost its grant; the leader is asked to reconnect")]
    private partial void LogNeedsReconnect(Guid connectionId);
}
