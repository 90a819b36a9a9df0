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

        var scores = new List<WeekScore>();
        for (var week = first; week <= last; week = week.Next)
        {
            scores.Add(ExecutionScore.ForWeek(classified, week, zone));
        }

        return scores;
    }
}
