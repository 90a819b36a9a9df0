using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Onboarding;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Leaders;

/// <summary>One calendar as its owner sees it.</summary>
public sealed record ConnectionView(
    Guid Id,
    string Provider,
    string Name,
    string Status,
    DateTimeOffset? LastSyncedAt,
    DateTimeOffset? NextSyncAt,
    string? Problem,
    bool CanReconnect,
    int SkippedEvents = 0,
    string? Skipped = null);

/// <summary>A leader's own calendar connections; every query is filtered by the owner, so another's id finds nothing.</summary>
internal sealed class LeaderConnections(
    ExecutionTrapDbContext db,
    LeaderOnboarding onboarding,
    IBackgroundJobClient jobs,
    JobStorage jobStorage,
    GrantRevocation revocation)
{
    public const string SampleCalendarName = "leader-month.ics";

    public static string SampleCalendarPath => Path.Combine(AppContext.BaseDirectory, "samples", SampleCalendarName);

    public static bool SampleAvailable => File.Exists(SampleCalendarPath);

    public async Task<IReadOnlyList<ConnectionView>> ListAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var connections = await db.Connections.AsNoTracking()
            .Where(c => c.LeaderId == leaderId && c.Status != ConnectionStatus.Disconnected)
            .OrderBy(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        var next = NextSync();
        return [.. connections.Select(c => ToView(c, next))];
    }

    public async Task<ConnectionView?> GetAsync(Guid leaderId, Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == connectionId && c.LeaderId == leaderId && c.Status != ConnectionStatus.Disconnected, cancellationToken);
        return connection is null ? null : ToView(connection, NextSync());
    }

    /// <exception cref="OnboardingException">The address is refused (not https, a local or private network, a file).</exception>
    public async Task<ConnectionView> AddIcsAsync(Guid leaderId, string address, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleAsync(l => l.Id == leaderId, cancellationToken);
        var connection = await onboarding.AddIcsCalendarAsync(leader, address, cancellationToken);
        return await StartedAsync(connection, cancellationToken);
    }

    public async Task<ConnectionView> AddSampleAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleAsync(l => l.Id == leaderId, cancellationToken);
        var connection = await onboarding.AddSampleCalendarAsync(leader, SampleCalendarName, cancellationToken);
        return await StartedAsync(connection, cancellationToken);
    }

    private async Task<ConnectionView> StartedAsync(CalendarConnection connection, CancellationToken cancellationToken)
    {
        if (connection.Status == ConnectionStatus.Disconnected)
        {
            connection.Status = ConnectionStatus.Active;
            await db.SaveChangesAsync(cancellationToken);
        }

        Enqueue(connection.Id);
        return ToView(connection, NextSync());
    }

    public async Task<bool> SyncAsync(Guid leaderId, Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await db.Connections
            .SingleOrDefaultAsync(c => c.Id == connectionId && c.LeaderId == leaderId && c.Status != ConnectionStatus.Disconnected, cancellationToken);
        if (connection is null)
        {
            return false;
        }

        // A feed that failed may work again (the owner fixed it): try once more on request.
        if (connection.Provider == CalendarProvider.Ics && connection.Status == ConnectionStatus.Error)
        {
            connection.Status = ConnectionStatus.Active;
            await db.SaveChangesAsync(cancellationToken);
        }

        Enqueue(connection.Id);
        return true;
    }

    /// <summary>Stops syncing, forgets the grant and removes the calendar's meetings.</summary>
    public async Task<bool> DisconnectAsync(Guid leaderId, Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.Id == connectionId && c.LeaderId == leaderId && c.Status != ConnectionStatus.Disconnected, cancellationToken);
        if (connection is null)
        {
            return false;
        }

        await revocation.RevokeAsync(connection, cancellationToken);
        await db.Meetings.Where(m => m.ConnectionId == connectionId).ExecuteDeleteAsync(cancellationToken);
        if (connection.Provider == CalendarProvider.Ics)
        {
            db.Connections.Remove(connection);
        }
        else
        {
            // The sign-in grant would connect this calendar again at the next sign-in: a tombstone remembers that
            // the leader said no, until they connect it themselves (ConnectOnce). It holds no grant and no meetings.
            await db.SeriesCorrections.Where(c => c.ConnectionId == connectionId).ExecuteDeleteAsync(cancellationToken);
            connection.Status = ConnectionStatus.Disconnected;
            connection.ProtectedRefreshToken = null;
            connection.Cursor = null;
            connection.FullReadId = null;
            connection.LastError = null;
            connection.LastErrorKind = null;
            connection.LastSyncedAt = null;
            connection.ReconnectNoticeSentAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>What a leader is told about an ICS feed that failed, whatever failed.</summary>
    public const string FeedProblem = "The calendar feed could not be read. Check that the address is the calendar's published https (ICS) link; we will try again.";

    internal static string? PlainProblem(CalendarConnection c) => c.Status switch
    {
        ConnectionStatus.Active when c.LastError is { Length: > 0 } detail => $"The last sync failed; we will try again. ({detail})",
        ConnectionStatus.NeedsReconnect => "The calendar provider no longer accepts our access. Reconnect to resume.",

        // One text for every failure of a feed: "refused", "timed out" or "HTTP 500" would turn
        // the add-a-calendar form into a scanner of whatever the server can reach.
        ConnectionStatus.Error when c.Provider == CalendarProvider.Ics => FeedProblem,
        ConnectionStatus.Error => c.LastErrorKind switch
        {
            CalendarErrorKind.NotFound => "The calendar address does not answer with a calendar. Check the address.",
            CalendarErrorKind.BadData => "The calendar could not be read: its contents are not a valid calendar.",
            CalendarErrorKind.Forbidden => "The provider refused to share this calendar.",
            CalendarErrorKind.ProviderUnavailable => "The provider did not answer; we will try again.",
            _ => "The last sync failed; we will try again.",
        } + (c.LastError is { Length: > 0 } detail ? $" ({detail})" : ""),
        _ => null,
    };

    internal static ConnectionView ToView(CalendarConnection c, DateTimeOffset? next) => new(
        c.Id,
        c.Provider.ToString().ToLowerInvariant(),
        string.IsNullOrWhiteSpace(c.DisplayName) ? c.Address : c.DisplayName,
        c.Status switch
        {
            // A failure recorded on an active connection is still a failure: it never reads as waiting or connected.
            ConnectionStatus.Active when c.LastError is not null => "sync failed",
            ConnectionStatus.Active => c.LastSyncedAt is null ? "waiting for first sync" : "connected",
            ConnectionStatus.Error => "sync failed",
            ConnectionStatus.NeedsReconnect => "needs reconnecting",
            _ => "disconnected",
        },
        c.LastSyncedAt?.ToDateTimeOffset(),
        c.Status == ConnectionStatus.Active ? next : null,
        PlainProblem(c),
        // A failure of ours (no error kind) is not cured by reconnecting: the leader is offered "Sync now".
        c.Status is ConnectionStatus.NeedsReconnect || (c.Status is ConnectionStatus.Error && c.LastErrorKind is not null),
        c.SkippedEvents,
        SkippedNote(c.SkippedEvents));

    internal static string? SkippedNote(int skipped) => skipped switch
    {
        <= 0 => null,
        1 => "1 event could not be read and was skipped; the rest of the calendar is up to date.",
        _ => $"{skipped} events could not be read and were skipped; the rest of the calendar is up to date.",
    };

    private void Enqueue(Guid connectionId) => jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(connectionId, CancellationToken.None));

    private DateTimeOffset? NextSync()
    {
        using var connection = jobStorage.GetConnection();
        var job = connection.GetRecurringJobs([SyncAllConnectionsJob.Id]).FirstOrDefault();
        return job?.NextExecution is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : null;
    }
}
