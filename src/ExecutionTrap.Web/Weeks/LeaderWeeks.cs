using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Storage.Sync;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Weeks;

/// <summary>A leader with what their weeks are measured against.</summary>
internal sealed record LeaderContext(Leader Leader, DateTimeZone Zone, RoleTarget Target, string RoleName);

/// <summary>Scores a leader's stored meetings by ISO week in the leader's own zone.</summary>
internal sealed class LeaderWeeks(ExecutionTrapDbContext db, IDateTimeZoneProvider zones)
{
    public async Task<LeaderContext?> LoadLeaderAsync(Guid leaderId, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.AsNoTracking().Include(l => l.Role).SingleOrDefaultAsync(l => l.Id == leaderId, cancellationToken);
        if (leader is null)
        {
            return null;
        }

        var role = leader.Role ?? await db.Roles.AsNoTracking()
            .Where(r => r.OrganisationId == leader.OrganisationId && r.IsDefault)
            .FirstOrDefaultAsync(cancellationToken);
        var zone = zones.GetZoneOrNull(leader.TimeZone) ?? DateTimeZone.Utc;
        return new LeaderContext(leader, zone, new RoleTarget(role?.TargetExecutionScore ?? RoleTarget.Default), role?.Name ?? "Leader");
    }

    /// <summary>Scores each week from <paramref name="first"/> to <paramref name="last"/> with one query.</summary>
    public async Task<IReadOnlyList<WeekScore>> ScoreAsync(Guid leaderId, DateTimeZone zone, IsoWeek first, IsoWeek last, CancellationToken cancellationToken)
    {
        var from = first.InZone(zone).Start;
        var to = last.InZone(zone).End;
        var stored = await db.Meetings.AsNoTracking()
            .Where(m => db.Connections.Any(c => c.Id == m.ConnectionId && c.LeaderId == leaderId && c.Status != ConnectionStatus.Disconnected))
            .Where(m => m.Start >= from && m.Start < to)
            .ToListAsync(cancellationToken);
        var classified = stored.Select(m => new ClassifiedMeeting(m.ToMeeting(), m.ToLabel())).ToList();

        return ScoreWeeks(classified, zone, first, last);
    }

    /// <summary>
    /// Loads and scores many leaders with three queries in all, not three per leader: what a report
    /// round over every leader needs (the per-leader path costs a database round trip per query).
    /// </summary>
    public async Task<IReadOnlyList<(LeaderContext Context, IReadOnlyList<WeekScore> Scores)>> ScoreManyAsync(
        IReadOnlyCollection<Guid> leaderIds,
        IsoWeek first,
        IsoWeek last,
        CancellationToken cancellationToken)
    {
        var leaders = await db.Leaders.AsNoTracking().Include(l => l.Role)
            .Where(l => leaderIds.Contains(l.Id))
            .ToListAsync(cancellationToken);
        var organisations = leaders.Where(l => l.Role is null).Select(l => l.OrganisationId).Distinct().ToList();
        var defaultRoles = (await db.Roles.AsNoTracking()
                .Where(r => r.IsDefault && organisations.Contains(r.OrganisationId))
                .ToListAsync(cancellationToken))
            .GroupBy(r => r.OrganisationId)
            .ToDictionary(g => g.Key, g => g.First());
        var contexts = leaders.Select(l =>
        {
            var role = l.Role ?? defaultRoles.GetValueOrDefault(l.OrganisationId);
            var zone = zones.GetZoneOrNull(l.TimeZone) ?? DateTimeZone.Utc;
            return new LeaderContext(l, zone, new RoleTarget(role?.TargetExecutionScore ?? RoleTarget.Default), role?.Name ?? "Leader");
        }).ToList();
        if (contexts.Count == 0)
        {
            return [];
        }

        // One window wide enough for every zone; each week is cut in the leader's own zone below.
        var from = contexts.Min(c => first.InZone(c.Zone).Start);
        var to = contexts.Max(c => last.InZone(c.Zone).End);
        var ids = contexts.Select(c => c.Leader.Id).ToList();
        // Only the columns a report reads: not the evidence, provider categories or sync bookkeeping.
        var stored = await db.Meetings.AsNoTracking()
            .Join(
                db.Connections.Where(c => ids.Contains(c.LeaderId) && c.Status != ConnectionStatus.Disconnected),
                m => m.ConnectionId,
                c => c.Id,
                (m, c) => new { c.LeaderId, Meeting = m })
            .Where(x => x.Meeting.Start >= from && x.Meeting.Start < to)
            .Select(x => new
            {
                x.LeaderId,
                Meeting = new StoredMeeting
                {
                    Id = x.Meeting.Id,
                    ConnectionId = x.Meeting.ConnectionId,
                    ProviderId = x.Meeting.ProviderId,
                    Provider = x.Meeting.Provider,
                    Title = x.Meeting.Title,
                    Start = x.Meeting.Start,
                    End = x.Meeting.End,
                    IsAllDay = x.Meeting.IsAllDay,
                    ShowAs = x.Meeting.ShowAs,
                    Response = x.Meeting.Response,
                    Kind = x.Meeting.Kind,
                    IsCancelled = x.Meeting.IsCancelled,
                    AttendeeCount = x.Meeting.AttendeeCount,
                    IsOrganizer = x.Meeting.IsOrganizer,
                    IsRecurring = x.Meeting.IsRecurring,
                    SeriesId = x.Meeting.SeriesId,
                    IsPrivate = x.Meeting.IsPrivate,
                    HasExternalAttendees = x.Meeting.HasExternalAttendees,
                    Category = x.Meeting.Category,
                    Excluded = x.Meeting.Excluded,
                    Confidence = x.Meeting.Confidence,
                    DecidedBy = x.Meeting.DecidedBy,
                    CorrectedCategory = x.Meeting.CorrectedCategory,
                },
            })
            .ToListAsync(cancellationToken);
        var byLeader = stored.ToLookup(x => x.LeaderId, x => new ClassifiedMeeting(x.Meeting.ToMeeting(), x.Meeting.ToLabel()));
        return contexts.Select(c => (c, (IReadOnlyList<WeekScore>)ScoreWeeks([.. byLeader[c.Leader.Id]], c.Zone, first, last))).ToList();
    }

    private static List<WeekScore> ScoreWeeks(List<ClassifiedMeeting> classified, DateTimeZone zone, IsoWeek first, IsoWeek last)
    {
        var scores = new List<WeekScore>();
        for (var week = first; week <= last; week = week.Next)
        {
            scores.Add(ExecutionScore.ForWeek(classified, week, zone));
        }

        return scores;
    }
}
