using ExecutionTrap.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Leaders;

/// <summary>Everything held about one leader: exported as JSON on request, deleted on request.</summary>
internal sealed class LeaderData(ExecutionTrapDbContext db, GrantRevocation revocation)
{
    public async Task<object?> ExportAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.AsNoTracking().Include(l => l.Organisation).Include(l => l.Role)
            .SingleOrDefaultAsync(l => l.Id == leaderId, cancellationToken);
        if (leader is null)
        {
            return null;
        }

        var connections = await db.Connections.AsNoTracking().Where(c => c.LeaderId == leaderId).ToListAsync(cancellationToken);
        var connectionIds = connections.Select(c => c.Id).ToList();
        var meetings = await db.Meetings.AsNoTracking().Where(m => connectionIds.Contains(m.ConnectionId)).OrderBy(m => m.Start).ToListAsync(cancellationToken);
        var deliveries = await db.ReportDeliveries.AsNoTracking().Where(d => d.LeaderId == leaderId).ToListAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.LeaderId == leaderId).ToListAsync(cancellationToken);

        // Tokens and grants are secrets, not data about the person: they are named but never exported.
        return new
        {
            leader = new
            {
                leader.Id,
                leader.Email,
                leader.DisplayName,
                leader.TimeZone,
                leader.JobTitle,
                leader.IsAdmin,
                organisation = leader.Organisation?.Name,
                role = leader.Role?.Name,
                reportDay = leader.ReportDay.ToString(),
                leader.ReportHour,
                leader.ReportsEnabled,
                leader.SendQuietWeekNote,
                createdAt = leader.CreatedAt.ToDateTimeOffset(),
            },
            connections = connections.Select(c => new
            {
                c.Id,
                provider = c.Provider.ToString(),
                c.Address,
                c.DisplayName,
                status = c.Status.ToString(),
                lastSyncedAt = c.LastSyncedAt?.ToDateTimeOffset(),
                c.LastError,
                holdsGrant = c.ProtectedRefreshToken is not null,
            }),
            meetings = meetings.Select(m => new
            {
                m.Id,
                m.ConnectionId,
                m.Title,
                start = m.Start.ToDateTimeOffset(),
                end = m.End.ToDateTimeOffset(),
                m.AttendeeCount,
                m.IsRecurring,
                m.SeriesId,
                m.IsPrivate,
                category = m.Category?.ToString(),
                excluded = m.Excluded?.ToString(),
                m.Confidence,
                m.Evidence,
                m.DecidedBy,
                correctedCategory = m.CorrectedCategory?.ToString(),
            }),
            reports = deliveries.Select(d => new { d.Week, status = d.Status.ToString(), sentAt = d.SentAt?.ToDateTimeOffset() }),
            apiTokens = tokens.Select(t => new { t.Name, t.Prefix, createdAt = t.CreatedAt.ToDateTimeOffset() }),
        };
    }

    /// <summary>Revokes provider grants, then deletes the leader and everything hanging off them.</summary>
    public async Task<bool> DeleteAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.Id == leaderId, cancellationToken);
        if (leader is null)
        {
            return false;
        }

        var connections = await db.Connections.Where(c => c.LeaderId == leaderId).ToListAsync(cancellationToken);
        foreach (var connection in connections)
        {
            await revocation.RevokeAsync(connection, cancellationToken);
            await db.Meetings.Where(m => m.ConnectionId == connection.Id).ExecuteDeleteAsync(cancellationToken);
        }

        db.Connections.RemoveRange(connections);
        await db.ApiTokens.Where(t => t.LeaderId == leaderId).ExecuteDeleteAsync(cancellationToken);
        await db.ReportDeliveries.Where(d => d.LeaderId == leaderId).ExecuteDeleteAsync(cancellationToken);
        db.Leaders.Remove(leader);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
