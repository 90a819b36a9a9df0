using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Administration;

/// <summary>A calendar of the organisation that needs someone to act: whose, which kind, what state, last good sync.</summary>
public sealed record ConnectionNeedingAttention(string Leader, string Provider, string Status, DateTimeOffset? LastSyncedAt);

/// <summary>
/// What an organisation's admin sees of the background jobs instead of the Hangfire dashboard: their own
/// organisation's calendars only, and no error text or feed address (those can hold a calendar's secret URL).
/// </summary>
public sealed record SyncHealthSummary(int Connections, int Failing, DateTimeOffset? LastSyncRoundAt, IReadOnlyList<ConnectionNeedingAttention> NeedingAttention);

internal sealed class SyncHealth(ExecutionTrapDbContext db)
{
    public async Task<SyncHealthSummary> BuildAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var rows = await db.Connections.AsNoTracking()
            .Where(c => c.Status != ConnectionStatus.Disconnected)
            .Join(db.Leaders.Where(l => l.OrganisationId == organisationId), c => c.LeaderId, l => l.Id, (c, l) => new
            {
                Leader = l.DisplayName,
                c.Provider,
                c.Status,
                c.LastSyncedAt,
                c.LastAttemptAt,
                c.LastErrorKind,
            })
            .ToListAsync(cancellationToken);
        var failing = rows.Where(r => r.Status != ConnectionStatus.Active || r.LastErrorKind is not null).ToList();
        return new SyncHealthSummary(
            rows.Count,
            failing.Count,
            rows.Max(r => r.LastAttemptAt)?.ToDateTimeOffset(),
            [.. failing
                .OrderBy(r => r.Leader, StringComparer.Ordinal)
                .Select(r => new ConnectionNeedingAttention(r.Leader, r.Provider.ToString(), Describe(r.Status), r.LastSyncedAt?.ToDateTimeOffset()))]);
    }

    private static string Describe(ConnectionStatus status) => status switch
    {
        ConnectionStatus.NeedsReconnect => "needs reconnecting",
        ConnectionStatus.Error => "failing",
        _ => "last sync failed",
    };
}
