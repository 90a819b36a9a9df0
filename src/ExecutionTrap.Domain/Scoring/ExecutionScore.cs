using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Domain.Scoring;

/// <summary>A meeting with the decision about it, as the scorer sees it.</summary>
public sealed record ClassifiedMeeting(Meeting Meeting, MeetingLabel Label);

/// <summary>A meeting's share of the week after overlapping minutes were split.</summary>
public sealed record ScoredMeeting(ClassifiedMeeting Source, int ScoredMinutes)
{
    public Meeting Meeting => Source.Meeting;

    public MeetingLabel Label => Source.Label;
}

/// <summary>One leader's week: minutes per category and the execution score (label-guide.md, "The score").</summary>
public sealed record WeekScore(
    IsoWeek Week,
    DateTimeZone Zone,
    IReadOnlyDictionary<Category, int> MinutesByCategory,
    IReadOnlyList<ScoredMeeting> Meetings)
{
    public int ScoredMinutes => MinutesByCategory.Values.Sum();

    public int ExecutionSideMinutes => MinutesByCategory.Where(p => p.Key.IsExecutionSide()).Sum(p => p.Value);

    /// <summary>Execution-side minutes as a percentage of scored minutes, one decimal; null in a week with nothing scored.</summary>
    public double? Score => ScoredMinutes == 0
        ? null
        : Math.Round(100.0 * ExecutionSideMinutes / ScoredMinutes, 1, MidpointRounding.AwayFromZero);

    /// <summary>Trapped in execution: the score is above the role's target.</summary>
    public bool IsTrapped(double target) => Score is { } score && score > target;
}

public static class ExecutionScore
{
    /// <summary>
    /// Scores the meetings that start in <paramref name="week"/> (in <paramref name="zone"/>).
    /// Where scored meetings overlap, each elementary stretch of time is shared equally by the
    /// meetings running in it, so the week never holds more scored minutes than elapsed.
    /// </summary>
    public static WeekScore ForWeek(IEnumerable<ClassifiedMeeting> meetings, IsoWeek week, DateTimeZone zone)
    {
        var span = week.InZone(zone);
        var inWeek = meetings
            .Where(m => span.Contains(m.Meeting.Start))
            .OrderBy(m => m.Meeting.Start)
            .ThenBy(m => m.Meeting.End)
            .ThenBy(m => m.Meeting.ProviderId, StringComparer.Ordinal)
            .ToList();

        var scoredIndexes = inWeek
            .Select((m, i) => (m, i))
            .Where(x => x.m.Label.IsScored && x.m.Meeting.End > x.m.Meeting.Start)
            .Select(x => x.i)
            .ToList();

        var seconds = ShareOverlaps(inWeek, scoredIndexes);
        var minutes = RoundPreservingTotal(seconds, scoredIndexes);

        var byCategory = Labels.AllCategories.ToDictionary(c => c, _ => 0);
        var scored = new List<ScoredMeeting>(inWeek.Count);
        for (var i = 0; i < inWeek.Count; i++)
        {
            var share = minutes.GetValueOrDefault(i);
            if (inWeek[i].Label.Category is { } category)
            {
                byCategory[category] += share;
            }

            scored.Add(new ScoredMeeting(inWeek[i], share));
        }

        return new WeekScore(week, zone, byCategory, scored);
    }

    // Sweep over the start and end instants: between two consecutive boundaries the set of
    // running meetings is constant, and each running meeting gets an equal share of that stretch.
    private static Dictionary<int, double> ShareOverlaps(List<ClassifiedMeeting> meetings, List<int> scored)
    {
        var boundaries = scored
            .SelectMany(i => new[] { meetings[i].Meeting.Start, meetings[i].Meeting.End })
            .Distinct()
            .Order()
            .ToList();

        var seconds = scored.ToDictionary(i => i, _ => 0.0);
        for (var b = 0; b < boundaries.Count - 1; b++)
        {
            var from = boundaries[b];
            var to = boundaries[b + 1];
            var running = scored.Where(i => meetings[i].Meeting.Start <= from && meetings[i].Meeting.End >= to).ToList();
            if (running.Count == 0)
            {
                continue;
            }

            var share = (to - from).TotalSeconds / running.Count;
            foreach (var i in running)
            {
                seconds[i] += share;
            }
        }

        return seconds;
    }

    // Largest remainder: whole minutes per meeting that add up to the rounded total,
    // so shared stretches never create or lose a minute.
    private static Dictionary<int, int> RoundPreservingTotal(Dictionary<int, double> seconds, List<int> order)
    {
        var exact = order.ToDictionary(i => i, i => seconds[i] / 60.0);
        var total = (int)Math.Round(exact.Values.Sum(), MidpointRounding.AwayFromZero);
        var result = exact.ToDictionary(p => p.Key, p => (int)Math.Floor(p.Value + 1e-9));
        var missing = total - result.Values.Sum();
        foreach (var i in order.OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).Take(Math.Max(0, missing)))
        {
            result[i]++;
        }

        return result;
    }
}
