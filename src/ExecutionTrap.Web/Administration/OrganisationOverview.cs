using ExecutionTrap.Domain.Privacy;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Weeks;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Administration;

/// <summary>
/// How the scores of one role spread in one week: only leaders with something scored count. When fewer
/// leaders than the minimum group were scored, nothing about them is given, not even how many: <see cref="Hidden"/> says why.
/// </summary>
public sealed record RoleWeekDistribution(string Week, int? Leaders, double? Min, double? Median, double? Max, string? Hidden = null);

public sealed record RoleDistribution(string Role, double Target, IReadOnlyList<RoleWeekDistribution> Weeks);

/// <summary>A recurring series and the leader-hours it took over the last four weeks.</summary>
public sealed record SeriesCost(string Title, int Leaders, double LeaderHours);

public sealed record OrganisationPage(IReadOnlyList<RoleDistribution> Roles, IReadOnlyList<SeriesCost> Series, int MinimumGroupSize);

internal sealed class OrganisationOverview(ExecutionTrapDbContext db, LeaderWeeks weeks, IDateTimeZoneProvider zones, TimeProvider time, MinimumGroup group)
{
    private const int BatchSize = 500;

    public async Task<OrganisationPage> BuildAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var leaders = await db.Leaders.AsNoTracking()
            .Where(l => l.OrganisationId == organisationId)
            .Select(l => new { l.Id, l.TimeZone })
            .ToListAsync(cancellationToken);
        var leaderIds = leaders.Select(l => l.Id).ToList();
        var byRole = new Dictionary<string, (double Target, List<WeekScore> Scores)>();

        // Each leader's last eight weeks end with the week it is now in their own zone; the leaders who share
        // those weeks are scored together, a batch at a time, not one query per leader.
        var byCurrentWeek = leaders.GroupBy(l => IsoWeek.Containing(now, zones.GetZoneOrNull(l.TimeZone) ?? DateTimeZone.Utc));
        foreach (var group in byCurrentWeek)
        {
            foreach (var batch in group.Select(l => l.Id).Chunk(BatchSize))
            {
                foreach (var (leader, scores) in await weeks.ScoreManyAsync(batch, group.Key.PlusWeeks(-7), group.Key, cancellationToken))
                {
                    if (!byRole.TryGetValue(leader.RoleName, out var entry))
                    {
                        entry = (leader.Target.ExecutionScore, []);
                        byRole[leader.RoleName] = entry;
                    }

                    entry.Scores.AddRange(scores);
                }
            }
        }

        var roles = byRole.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new RoleDistribution(
            p.Key,
            p.Value.Target,
            [.. p.Value.Scores.GroupBy(s => s.Week).OrderBy(g => g.Key).Select(g => Distribution(g.Key, g))])).ToList();
        return new OrganisationPage(roles, await TopSeriesAsync(leaderIds, now, cancellationToken), group.Size);
    }

    private RoleWeekDistribution Distribution(IsoWeek week, IEnumerable<WeekScore> scores)
    {
        var values = scores.Select(s => s.Score).OfType<double>().Order().ToList();
        // With one leader the minimum is their score; with two, each reads the other's off the spread.
        // An empty week is hidden too, or a one-person role would tell which weeks that person had meetings.
        if (!group.Allows(values.Count))
        {
            return new RoleWeekDistribution(week.ToString(), null, null, null, null, group.HiddenReason);
        }

        var median = values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
        return new RoleWeekDistribution(week.ToString(), values.Count, values[0], Math.Round(median, 1), values[^1]);
    }

    private async Task<IReadOnlyList<SeriesCost>> TopSeriesAsync(List<Guid> leaderIds, Instant now, CancellationToken cancellationToken)
    {
        var from = now - Duration.FromDays(28);
        var rows = await db.Meetings.AsNoTracking()
            .Where(m => m.SeriesId != null && m.Start >= from && m.Start < now && m.Excluded == null)
            .Join(db.Connections.Where(c => leaderIds.Contains(c.LeaderId) && c.Status != ConnectionStatus.Disconnected), m => m.ConnectionId, c => c.Id, (m, c) => new
            {
                m.SeriesId,
                m.Title,
                m.IsPrivate,
                m.Start,
                m.End,
                c.LeaderId,
            })
            .ToListAsync(cancellationToken);
        return [.. rows
            .GroupBy(r => r.SeriesId!)
            .Select(g => new
            {
                Leaders = g.Select(r => r.LeaderId).Distinct().Count(),
                Hours = g.Sum(r => (r.End - r.Start).TotalHours),
                // A series that is private in anyone's calendar never shows its title.
                Title = g.Any(r => r.IsPrivate) ? "(private series)" : g.First().Title,
            })
            .Where(s => group.Allows(s.Leaders))
            .OrderByDescending(s => s.Hours)
            .Take(10)
            .Select(s => new SeriesCost(s.Title, s.Leaders, Math.Round(s.Hours, 1)))];
    }
}
