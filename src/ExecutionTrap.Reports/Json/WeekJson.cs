using System.Text.Json;
using System.Text.Json.Serialization;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Reports.Json;

/// <summary>The JSON of one scored week: the `etrap analyze --format json` contract (cli.md), also served by the API.</summary>
public sealed record WeekJson(
    [property: JsonPropertyName("week")] string Week,
    [property: JsonPropertyName("timezone")] string Timezone,
    [property: JsonPropertyName("target")] double Target,
    [property: JsonPropertyName("executionScore")] double? ExecutionScore,
    [property: JsonPropertyName("trapped")] bool Trapped,
    [property: JsonPropertyName("scoredMinutes")] int ScoredMinutes,
    [property: JsonPropertyName("minutesByCategory")] IReadOnlyDictionary<string, int> MinutesByCategory,
    [property: JsonPropertyName("meetings")] IReadOnlyList<MeetingJson> Meetings)
{
    public static readonly JsonSerializerOptions SerializerOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static WeekJson From(WeekScore score, double target) => new(
        score.Week.ToString(),
        score.Zone.Id,
        target,
        score.Score,
        score.IsTrapped(target),
        score.ScoredMinutes,
        Labels.AllCategories.ToDictionary(c => c.ToSlug(), c => score.MinutesByCategory.GetValueOrDefault(c)),
        score.Meetings.Select(MeetingJson.From).ToList());

    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);
}

/// <summary>One meeting of the week as the CLI contract prints it.</summary>
public sealed record MeetingJson(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("category")] string? Category,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("scoredMinutes")] int ScoredMinutes,
    [property: JsonPropertyName("excluded")] string? Excluded)
{
    public static MeetingJson From(ScoredMeeting meeting) => new(
        meeting.Meeting.Title,
        Utc(meeting.Meeting.Start),
        Utc(meeting.Meeting.End),
        meeting.Label.Category?.ToSlug(),
        Math.Round(meeting.Label.Confidence, 2),
        meeting.ScoredMinutes,
        meeting.Label.Excluded?.ToSlug());

    /// <summary>ISO 8601 in UTC with a Z, to the second.</summary>
    public static string Utc(Instant instant) => InstantPattern.General.Format(instant);
}

