using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Weeks;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Web.Leaders;

public sealed record WeekTrendPoint(string Week, double? Score);

public sealed record WeekMeetingView(
    long Id,
    string Title,
    DateTimeOffset Start,
    string When,
    int Minutes,
    string? Category,
    string? Excluded,
    double Confidence,
    IReadOnlyList<string> Evidence,
    string DecidedBy,
    bool Corrected,
    bool InSeries)
{
    /// <summary>A scored meeting the model was not sure about; a leader's correction is always sure.</summary>
    public bool NotSure => Category is not null && !Corrected && Confidence < Domain.Classification.MeetingLabel.NotSureBelow;
}

/// <summary>"My week": the score against the target, the trend, minutes per category and the meetings behind them.</summary>
public sealed record WeekPage(
    string Week,
    string PreviousWeek,
    string NextWeek,
    string RoleName,
    double Target,
    double? Score,
    string? Verdict,
    int ScoredMinutes,
    IReadOnlyDictionary<string, int> MinutesByCategory,
    IReadOnlyList<WeekTrendPoint> Trend,
    IReadOnlyList<WeekMeetingView> Meetings);

internal sealed class WeekView(LeaderWeeks weeks, ExecutionTrapDbContext db, TimeProvider time)
{
    private static readonly LocalDateTimePattern WhenPattern = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM HH:mm");

    public async Task<WeekPage?> BuildAsync(Guid leaderId, IsoWeek? requested, CancellationToken cancellationToken)
    {
        var leader = await weeks.LoadLeaderAsync(leaderId, cancellationToken);
        if (leader is null)
        {
            return null;
        }

        var week = requested ?? IsoWeek.Containing(Instant.FromDateTimeOffset(time.GetUtcNow()), leader.Zone);
        var first = week;
        for (var i = 0; i < 7; i++)
        {
            first = first.Previous;
        }

        var scores = await weeks.ScoreAsync(leaderId, leader.Zone, first, week, cancellationToken);
        var current = scores[^1];
        var span = week.InZone(leader.Zone);
        var stored = await db.Meetings.AsNoTracking()
            .Where(m => db.Connections.Any(c => c.Id == m.ConnectionId && c.LeaderId == leaderId))
            .Where(m => m.Start >= span.Start && m.Start < span.End)
            .Select(m => new { m.Id, m.ProviderId, m.Start, m.SeriesId })
            .ToListAsync(cancellationToken);
        var ids = stored.GroupBy(m => (m.ProviderId, m.Start)).ToDictionary(g => g.Key, g => g.First());

        var meetings = current.Meetings
            .Where(m => ids.ContainsKey((m.Meeting.ProviderId, m.Meeting.Start)))
            .Select(m =>
            {
                var row = ids[(m.Meeting.ProviderId, m.Meeting.Start)];
                return new WeekMeetingView(
                    row.Id,
                    m.Meeting.Title,
                    m.Meeting.Start.ToDateTimeOffset(),
                    WhenPattern.Format(m.Meeting.Start.InZone(leader.Zone).LocalDateTime),
                    m.ScoredMinutes,
                    m.Label.Category?.ToSlug(),
                    m.Label.Excluded?.ToSlug(),
                    m.Label.Confidence,
                    m.Label.Evidence,
                    m.Label.DecidedBy,
                    m.Label.DecidedBy == "correction",
                    row.SeriesId is not null);
            })
            .ToList();

        var target = leader.Target;
        return new WeekPage(
            week.ToString(),
            week.Previous.ToString(),
            week.Next.ToString(),
            leader.RoleName,
            target.ExecutionScore,
            current.Score,
            current.Score is { } score ? Verdicts.For(score, target).ToString() : null,
            current.ScoredMinutes,
            current.MinutesByCategory.ToDictionary(p => p.Key.ToSlug(), p => p.Value),
            [.. scores.Select(s => new WeekTrendPoint(s.Week.ToString(), s.Score))],
            meetings);
    }
}
