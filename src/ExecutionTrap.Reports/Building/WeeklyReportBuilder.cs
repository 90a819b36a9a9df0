using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;

namespace ExecutionTrap.Reports.Building;

/// <summary>Turns a leader's scored weeks into the content of their weekly email. Pure: no I/O, no clock.</summary>
internal static class WeeklyReportBuilder
{
    public const int TrendWeeks = 7;
    public const int TopMeetingCount = 5;
    public const int DelegationMinAttendees = 4;
    public const double DefaultUncertainBelow = 0.5;

    /// <summary>The first week a report scores: the trend's start, <see cref="TrendWeeks"/> before the reported week.</summary>
    public static IsoWeek FirstTrendWeek(IsoWeek week) => week.PlusWeeks(-TrendWeeks);

    /// <summary>Builds the report from consecutive week scores: the trend, then the reported week, then next week's forecast.</summary>
    public static WeeklyReport Build(ReportLeader leader, IReadOnlyList<WeekScore> trendWeekAndForecast, double uncertainBelow = DefaultUncertainBelow) =>
        Build(leader, trendWeekAndForecast[^2], trendWeekAndForecast.Take(trendWeekAndForecast.Count - 2), trendWeekAndForecast[^1], uncertainBelow);

    /// <param name="leader">Who the report is for and their role's target.</param>
    /// <param name="week">The scored week the report is about.</param>
    /// <param name="history">Scored earlier weeks, in any order; the seven before <paramref name="week"/> are used, a missing one counts as quiet.</param>
    /// <param name="forecast">Next week scored from the meetings already on the calendar, when known.</param>
    /// <param name="uncertainBelow">A label with a confidence below this makes its meeting uncertain (ReportsOptions.UncertainBelow).</param>
    public static WeeklyReport Build(
        ReportLeader leader,
        WeekScore week,
        IEnumerable<WeekScore> history,
        WeekScore? forecast,
        double uncertainBelow = DefaultUncertainBelow)
    {
        var earlier = history
            .Where(h => h.Week < week.Week)
            .GroupBy(h => h.Week)
            .ToDictionary(g => g.Key, g => g.Last());

        var previousWeeks = new List<TrendPoint>(TrendWeeks);
        var cursor = week.Week;
        for (var i = 0; i < TrendWeeks; i++)
        {
            cursor = cursor.Previous;
            previousWeeks.Insert(0, new TrendPoint(cursor, earlier.GetValueOrDefault(cursor)?.Score));
        }

        var groups = RollUp(week);
        var cadenceHistory = new[] { week.Week.Previous, week.Week.Previous.Previous }
            .Select(w => earlier.TryGetValue(w, out var s) ? SeriesKeys(s) : null)
            .ToArray();

        var costly = groups
            .Select(g => ToCostlyMeeting(g, cadenceHistory))
            .OrderByDescending(m => m.Minutes)
            .ThenBy(m => m.Title, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var delegation = costly
            .Where(m => m.Category == Category.Execution
                && m.IsRecurring
                && !m.IsOrganizer
                && m.Attendees >= DelegationMinAttendees)
            .Select(m => new DelegationCandidate(m.Title, m.Minutes, m.Attendees, HoursPerYear(m.Minutes)))
            .OrderByDescending(c => c.HoursPerYear)
            .ThenBy(c => c.Title, StringComparer.OrdinalIgnoreCase)
            .ToList();

        return new WeeklyReport
        {
            Leader = leader,
            Week = week.Week,
            Zone = week.Zone,
            Score = week,
            PreviousWeeks = previousWeeks,
            Forecast = forecast,
            Verdict = week.Score is { } score ? Verdicts.For(score, leader.Target) : null,
            MinutesByCategory = Labels.AllCategories.ToDictionary(c => c, c => week.MinutesByCategory.GetValueOrDefault(c)),
            TopMeetings = costly.Take(TopMeetingCount).ToList(),
            DelegationCandidates = delegation,
            UncertainMeetings = week.Meetings.Count(m => m.Label.Confidence < uncertainBelow),
        };
    }

    /// <summary>Hours a year a weekly meeting gives back: its minutes this week, 52 weeks, in hours.</summary>
    public static double HoursPerYear(int weeklyMinutes) => weeklyMinutes * 52 / 60.0;

    // A series is one thing to the leader however many occurrences it had; without a series id
    // the title is the best identity there is ("Daily standup" sent as separate invitations).
    private static string SeriesKey(Meeting meeting) =>
        meeting.SeriesId is { Length: > 0 } seriesId
            ? "series:" + seriesId
            : "title:" + meeting.Title.Trim().ToUpperInvariant();

    private static HashSet<string> SeriesKeys(WeekScore score) =>
        score.Meetings.Where(m => m.ScoredMinutes > 0).Select(m => SeriesKey(m.Meeting)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<IGrouping<string, ScoredMeeting>> RollUp(WeekScore week) =>
        week.Meetings
            .Where(m => m.ScoredMinutes > 0 && m.Label.Category is { } c && c.IsExecutionSide())
            .GroupBy(m => SeriesKey(m.Meeting), StringComparer.Ordinal);

    private static CostlyMeeting ToCostlyMeeting(IGrouping<string, ScoredMeeting> group, HashSet<string>?[] cadenceHistory)
    {
        var occurrences = group.OrderBy(m => m.Meeting.Start).ToList();

        // Occurrences of one series can be labelled differently; the category that took most of its time speaks for it.
        var category = occurrences
            .GroupBy(m => m.Label.Category!.Value)
            .OrderByDescending(g => g.Sum(m => m.ScoredMinutes))
            .ThenBy(g => g.Key)
            .First().Key;

        var isRecurring = occurrences.Count > 1 || occurrences.Any(m => m.Meeting.IsRecurring || m.Meeting.SeriesId is not null);
        var cadence = CadenceOf(group.Key, occurrences.Count, isRecurring, cadenceHistory);
        return new CostlyMeeting(
            Title: occurrences[^1].Meeting.Title.Trim(),
            Category: category,
            Minutes: occurrences.Sum(m => m.ScoredMinutes),
            Occurrences: occurrences.Count,
            IsRecurring: isRecurring,
            Cadence: cadence,
            Attendees: occurrences.Max(m => m.Meeting.AttendeeCount),
            IsOrganizer: occurrences.Any(m => m.Meeting.IsOrganizer),
            Question: ReflectionQuestions.For(category, isRecurring));
    }

    private static Cadence CadenceOf(string key, int occurrences, bool isRecurring, HashSet<string>?[] history)
    {
        if (!isRecurring)
        {
            return Cadence.Once;
        }

        if (occurrences >= 4)
        {
            return Cadence.Daily;
        }

        if (occurrences > 1)
        {
            return Cadence.SeveralTimesAWeek;
        }

        if (history[0]?.Contains(key) == true)
        {
            return Cadence.Weekly;
        }

        return history[1]?.Contains(key) == true ? Cadence.EveryOtherWeek : Cadence.Recurring;
    }
}
