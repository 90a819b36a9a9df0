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
/// so the refresh token from that same answer becomes the leader's calendar connection.
/// </summary>
internal sealed class ConnectOnce(ExecutionTrapDbContext db, IConnectionSecrets secrets, IBackgroundJobClient jobs, TimeProvider time)
{
    public async Task<CalendarConnection> ConnectAsync(Guid leaderId, CalendarProvider provider, string address, string refreshToken, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.LeaderId == leaderId && c.Provider == provider, cancellationToken);
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
