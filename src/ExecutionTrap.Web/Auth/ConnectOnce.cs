using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Auth;

/// <summary>
/// The calendar half of "connect once": the sign-in consent also granted calendar read access,
/// so the refresh token from that same answer becomes the leader's calendar connection — unless the leader
/// disconnected that calendar: the disconnected connection is kept as a tombstone, and only the leader's own
/// "connect my calendar" brings it back, never a later sign-in by itself.
/// </summary>
internal sealed class ConnectOnce(ExecutionTrapDbContext db, IConnectionSecrets secrets, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <returns>The connection, or null when the leader disconnected it and did not ask for it back.</returns>
    public async Task<CalendarConnection?> ConnectAsync(Guid leaderId, CalendarProvider provider, string address, string refreshToken, bool leaderAsked, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.LeaderId == leaderId && c.Provider == provider, cancellationToken);
        if (connection is { Status: ConnectionStatus.Disconnected } && !leaderAsked)
        {
            return null;
        }

        if (connection is null)
        {
            connection = new CalendarConnection
            {
                Id = Guid.NewGuid(),
                LeaderId = leaderId,
                Provider = provider,
                Address = address,
                DisplayName = provider == CalendarProvider.Microsoft ? "Outlook calendar" : "Google Calendar",
                CreatedAt = Instant.FromDateTimeOffset(time.GetUtcNow()),
            };
            db.Connections.Add(connection);
        }

        // A reconnect clears the old trouble; the next sync starts from a clean cursor if the grant changed.
        connection.Status = ConnectionStatus.Active;
        connection.LastError = null;
        connection.LastErrorKind = null;
        connection.ReconnectNoticeSentAt = null;
        await db.SaveChangesAsync(cancellationToken);
        await secrets.SaveRefreshTokenAsync(connection.Id, refreshToken, cancellationToken);
        var id = connection.Id;
        jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None));
        return connection;
    }
}
