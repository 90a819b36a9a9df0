using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Classification.Features;

/// <summary>
/// The non-title facts about an event that the model may use. Every one is optional because
/// many sources (a title typed at the CLI, an evaluation file) know none of them.
/// <see cref="Description"/> is read to classify and never stored.
/// </summary>
internal sealed record MeetingSignals(
    int? Attendees = null,
    double? Minutes = null,
    bool? Recurring = null,
    bool? Organizer = null,
    bool? ExternalAttendees = null,
    int? StartHour = null,
    IReadOnlyList<string>? Categories = null,
    string? Description = null)
{
    public static MeetingSignals Unknown { get; } = new();

    public bool IsUnknown =>
        Attendees is null && Minutes is null && Recurring is null && Organizer is null && ExternalAttendees is null
        && StartHour is null && Categories is not { Count: > 0 } && string.IsNullOrEmpty(Description);

    public bool IsRecurringPair => Attendees == 2 && Recurring == true;

    /// <summary>
    /// The signals of a stored or fetched meeting. A meeting carries no time zone, so the local start
    /// hour is known only when the caller gives the leader's zone; an event without attendee lines
    /// (a personal ICS entry) says nothing about attendees either.
    /// </summary>
    public static MeetingSignals From(Meeting meeting, DateTimeZone? zone = null)
    {
        var attendeesKnown = meeting.AttendeeCount > 0;
        return new MeetingSignals(
            Attendees: attendeesKnown ? meeting.AttendeeCount : null,
            Minutes: meeting.Duration.TotalMinutes,
            Recurring: meeting.IsRecurring,
            Organizer: meeting.IsOrganizer || meeting.Response == ResponseStatus.Organizer,
            ExternalAttendees: attendeesKnown ? meeting.HasExternalAttendees : null,
            StartHour: zone is null ? null : meeting.Start.InZone(zone).Hour,
            Categories: meeting.ProviderCategories.Count > 0 ? meeting.ProviderCategories : null,
            Description: meeting.DescriptionPreview);
    }

    /// <summary>The signals without the text a model reads besides the title (categories, description).</summary>
    public MeetingSignals WithoutText() => this with { Categories = null, Description = null };

    /// <summary>Short phrases for explanations, e.g. "2 attendees", "recurring"; the length only when unusual.</summary>
    public IReadOnlyList<string> Describe()
    {
        var parts = new List<string>();
        if (Attendees is { } attendees)
        {
            parts.Add(attendees == 1 ? "1 attendee" : $"{attendees} attendees");
        }

        if (Recurring is { } recurring)
        {
            parts.Add(recurring ? "recurring" : "one-off");
        }

        if (Minutes is { } minutes && (minutes <= 15 || minutes >= 240))
        {
            parts.Add($"{Math.Round(minutes)} min");
        }

        if (ExternalAttendees == true)
        {
            parts.Add("external attendees");
        }

        if (StartHour is { } hour && hour is < 8 or >= 18)
        {
            parts.Add($"starts at {hour}:00");
        }

        return parts;
    }
}
