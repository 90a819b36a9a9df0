using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Classification.Features;

/// <summary>
/// The non-title facts about an event that the model may use. Every one is optional because
/// many sources (a title typed at the CLI, an evaluation file) know none of them.
/// </summary>
internal sealed record MeetingSignals(
    int? Attendees = null,
    double? Minutes = null,
    bool? Recurring = null,
    bool? Organizer = null,
    bool? ExternalAttendees = null,
    int? StartHour = null)
{
    public static MeetingSignals Unknown { get; } = new();

    public bool IsUnknown => this == Unknown;

    public bool IsRecurringPair => Attendees == 2 && Recurring == true;

    // A meeting carries no time zone, so its local start hour is unknown here; an event
    // without attendee lines (a personal ICS entry) says nothing about attendees either.
    public static MeetingSignals From(Meeting meeting)
    {
        var attendeesKnown = meeting.AttendeeCount > 0;
        return new MeetingSignals(
            Attendees: attendeesKnown ? meeting.AttendeeCount : null,
            Minutes: meeting.Duration.TotalMinutes,
            Recurring: meeting.IsRecurring,
            Organizer: meeting.IsOrganizer || meeting.Response == ResponseStatus.Organizer,
            ExternalAttendees: attendeesKnown ? meeting.HasExternalAttendees : null);
    }

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

        return parts;
    }
}
