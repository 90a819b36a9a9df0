using System.Globalization;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;

namespace ExecutionTrap.Reports.Rendering;

/// <summary>The words and numbers of the email, the same in its subject, text and HTML.</summary>
internal static class ReportFormat
{
    // Invariant month names ("Sep", not ICU's "Sept") keep the email the same on every worker.
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    public static string Score(double score) =>
        Math.Round(score, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);

    public static string Target(RoleTarget target) =>
        target.ExecutionScore.ToString("0.#", CultureInfo.InvariantCulture);

    public static string WeekNumber(IsoWeek week) => week.Week.ToString(CultureInfo.InvariantCulture);

    public static string WeekShort(IsoWeek week) => "W" + week.Week.ToString("00", CultureInfo.InvariantCulture);

    /// <summary>"16–22 Nov 2026", or "29 Dec 2025 – 4 Jan 2026" across a year end.</summary>
    public static string WeekDates(IsoWeek week)
    {
        var monday = week.Monday;
        var sunday = monday.PlusDays(6);
        if (monday.Year != sunday.Year)
        {
            return $"{monday.ToString("d MMM yyyy", English)} – {sunday.ToString("d MMM yyyy", English)}";
        }

        return monday.Month == sunday.Month
            ? $"{monday.Day}–{sunday.ToString("d MMM yyyy", English)}"
            : $"{monday.ToString("d MMM", English)} – {sunday.ToString("d MMM yyyy", English)}";
    }

    public static string Duration(int minutes)
    {
        var hours = minutes / 60;
        var rest = minutes % 60;
        return (hours, rest) switch
        {
            (0, _) => $"{rest} min",
            (_, 0) => $"{hours} h",
            _ => $"{hours} h {rest} min",
        };
    }

    public static string Hours(double hours) =>
        Math.Round(hours, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + " h";

    public static string Percent(int part, int whole) =>
        whole == 0 ? "0%" : Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string CategoryName(Category category) => category switch
    {
        Category.Execution => "Execution",
        Category.Escalation => "Escalation",
        Category.Firefighting => "Firefighting",
        Category.Strategy => "Strategy",
        Category.PeopleDevelopment => "People development",
        _ => category.ToSlug(),
    };

    public static string VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.Trapped => "Trapped in execution",
        Verdict.Drifting => "Close to the line",
        _ => "On target",
    };

    public static string VerdictSentence(WeeklyReport report)
    {
        if (report.Score.Score is not { } score || report.Verdict is not { } verdict)
        {
            return "No meetings were scored this week.";
        }

        var gap = Math.Abs(Math.Round(score - report.Target.ExecutionScore, MidpointRounding.AwayFromZero));
        var points = gap == 1 ? "1 point" : gap.ToString("0", CultureInfo.InvariantCulture) + " points";
        return verdict switch
        {
            Verdict.Trapped => $"Trapped in execution: {points} above the target for a {report.RoleName}.",
            Verdict.Drifting => $"Close to the line: {points} under the target for a {report.RoleName}.",
            _ => $"On target: {points} under the target for a {report.RoleName}, with room for strategy and people.",
        };
    }

    /// <summary>"4 h this week, weekly, 9 people".</summary>
    public static string MeetingFacts(CostlyMeeting meeting)
    {
        var cadence = meeting.Cadence switch
        {
            Cadence.Once => "once",
            Cadence.Daily => $"daily ({meeting.Occurrences} times)",
            Cadence.SeveralTimesAWeek => $"{meeting.Occurrences} times this week",
            Cadence.Weekly => "weekly",
            Cadence.EveryOtherWeek => "every other week",
            _ => "recurring",
        };

        var facts = $"{Duration(meeting.Minutes)} this week, {cadence}";
        return meeting.Attendees > 1 ? $"{facts}, {meeting.Attendees} people" : facts;
    }

    public static string TrendValues(IEnumerable<TrendPoint> trend) =>
        string.Join(", ", trend.Select(p => p.Score is { } s ? Score(s) : "no data"));

    /// <summary>The chart's alt text: every value in words, so the picture adds nothing a screen reader misses.</summary>
    public static string TrendDescription(WeeklyReport report) =>
        $"Execution score over {report.Trend.Count} weeks: {TrendValues(report.Trend)}; target {Target(report.Target)}";

    public static string? ForecastSentence(WeeklyReport report) =>
        report.ForecastScore is { } forecast
            ? $"Next week already looks like {Score(forecast)} from the meetings on your calendar."
            : null;
}
