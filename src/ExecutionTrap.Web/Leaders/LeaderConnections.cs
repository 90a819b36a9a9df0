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
    bool CanReconnect);

/// <summary>A leader's own calendar connections; every query is filtered by the owner, so another's id finds nothing.</summary>
internal sealed class LeaderConnections(
    ExecutionTrapDbContext db,
    LeaderOnboarding onboarding,
    IBackgroundJobClient jobs,
    JobStorage jobStorage,
    GrantRevocation revocation)
{
    public static string SampleCalendarPath => Path.Combine(AppContext.BaseDirectory, "samples", "leader-month.ics");

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

    /// <exception cref="OnboardingException">The address is neither a URL nor an .ics file.</exception>
    public async Task<ConnectionView> AddIcsAsync(Guid leaderId, string address, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleAsync(l => l.Id == leaderId, cancellationToken);
        var connection = await onboarding.AddIcsCalendarAsync(leader, address, cancellationToken);
        if (connection.Status == ConnectionStatus.Disconnected)
        {
            connection.Status = ConnectionStatus.Active;
            await db.SaveChangesAsync(cancellationToken);
        }

        Enqueue(connection.Id);
        return ToView(connection, NextSync());
    }

    public Task<ConnectionView> AddSampleAsync(Guid leaderId, CancellationToken cancellationToken) =>
        AddIcsAsync(leaderId, SampleCalendarPath, cancellationToken);

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

    internal static string? PlainProblem(CalendarConnection c) => c.Status switch
    {
        ConnectionStatus.NeedsReconnect => "The calendar provider no longer accepts our access. Reconnect to resume.",
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

    private static ConnectionView ToView(CalendarConnection c, DateTimeOffset? next) => new(
        c.Id,
        c.Provider.ToString().ToLowerInvariant(),
        string.IsNullOrWhiteSpace(c.DisplayName) ? c.Address : c.DisplayName,
        c.Status switch
        {
            ConnectionStatus.Active => c.LastSyncedAt is null ? "waiting for first sync" : "connected",
            ConnectionStatus.Error => "sync failed",
            ConnectionStatus.NeedsReconnect => "needs reconnecting",
            _ => "disconnected",
        },
        c.LastSyncedAt?.ToDateTimeOffset(),
        c.Status == ConnectionStatus.Active ? next : null,
        PlainProblem(c),
        c.Status is ConnectionStatus.NeedsReconnect or ConnectionStatus.Error);

    private void Enqueue(Guid connectionId) => jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(connectionId, CancellationToken.None));

    private DateTimeOffset? NextSync()
    {
        using var connection = jobStorage.GetConnection();
        var job = connection.GetRecurringJobs([SyncAllConnectionsJob.Id]).FirstOrDefault();
        return job?.NextExecution is { } next ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : null;
    }
}
