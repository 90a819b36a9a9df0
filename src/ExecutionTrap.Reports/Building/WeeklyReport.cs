using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using NodaTime;

namespace ExecutionTrap.Reports.Building;

/// <summary>Who the report is for and what their role should carry.</summary>
internal sealed record ReportLeader(Guid Id, string DisplayName, string RoleName, RoleTarget Target);

/// <summary>One week's score in the trend; null when nothing was scored that week.</summary>
internal sealed record TrendPoint(IsoWeek Week, double? Score);

/// <summary>A meeting, or all occurrences of one recurring series, that took execution-side time this week.</summary>
internal sealed record CostlyMeeting(
    string Title,
    Category Category,
    int Minutes,
    int Occurrences,
    bool IsRecurring,
    Cadence Cadence,
    int Attendees,
    bool IsOrganizer,
    string Question);

/// <summary>How often a rolled-up meeting comes back, as far as a few weeks of calendar tell.</summary>
internal enum Cadence
{
    Once,
    Daily,
    SeveralTimesAWeek,
    Weekly,
    EveryOtherWeek,
    Recurring,
}

/// <summary>A recurring execution meeting someone else could attend, and the time it would give back.</summary>
internal sealed record DelegationCandidate(string Title, int MinutesThisWeek, int Attendees, double HoursPerYear);

/// <summary>Everything the weekly email says, built from domain data alone.</summary>
internal sealed record WeeklyReport
{
    public required ReportLeader Leader { get; init; }

    public required IsoWeek Week { get; init; }

    public required DateTimeZone Zone { get; init; }

    public required WeekScore Score { get; init; }

    /// <summary>The seven weeks before <see cref="Week"/>, oldest first.</summary>
    public required IReadOnlyList<TrendPoint> PreviousWeeks { get; init; }

    /// <summary>Next week as the meetings already on the calendar score it; null when not known.</summary>
    public WeekScore? Forecast { get; init; }

    /// <summary>Null in a quiet week, which has no score to judge.</summary>
    public Verdict? Verdict { get; init; }

    public required IReadOnlyDictionary<Category, int> MinutesByCategory { get; init; }

    /// <summary>At most five, most minutes first.</summary>
    public required IReadOnlyList<CostlyMeeting> TopMeetings { get; init; }

    /// <summary>Most hours given back first.</summary>
    public required IReadOnlyList<DelegationCandidate> DelegationCandidates { get; init; }

    /// <summary>Meetings of the week whose label the classifier was unsure of.</summary>
    public int UncertainMeetings { get; init; }

    public string LeaderName => Leader.DisplayName;

    public string RoleName => Leader.RoleName;

    public RoleTarget Target => Leader.Target;

    public bool IsQuiet => Score.Score is null;

    public bool HasUncertainMeetings => UncertainMeetings > 0;

    /// <summary>The previous weeks and this one: the eight points the trend chart draws.</summary>
    public IReadOnlyList<TrendPoint> Trend => [.. PreviousWeeks, new TrendPoint(Week, Score.Score)];

    public double? ForecastScore => Forecast?.Score;
}
