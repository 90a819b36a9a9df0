using NodaTime;

namespace ExecutionTrap.Domain.Meetings;

public enum CalendarProvider
{
    Ics,
    Microsoft,
    Google,
}

/// <summary>How the event blocks the leader's time, normalised across providers.</summary>
public enum ShowAs
{
    Busy,
    Tentative,
    Free,
    OutOfOffice,
    WorkingElsewhere,
}

/// <summary>The leader's own answer to the invitation.</summary>
public enum ResponseStatus
{
    None,
    Organizer,
    Accepted,
    Tentative,
    Declined,
    NotResponded,
}

/// <summary>What kind of event the provider says it is, where it says so (Google's eventType).</summary>
public enum EventKind
{
    Default,
    FocusTime,
    OutOfOffice,
    WorkingLocation,
}

/// <summary>One calendar event of one leader, normalised from any provider.</summary>
public sealed record Meeting
{
    public required CalendarProvider Provider { get; init; }

    /// <summary>The provider's id of this occurrence; unique within one connection.</summary>
    public required string ProviderId { get; init; }

    public required string Title { get; init; }

    public required Instant Start { get; init; }

    public required Instant End { get; init; }

    public bool IsAllDay { get; init; }

    public ShowAs ShowAs { get; init; } = ShowAs.Busy;

    public ResponseStatus Response { get; init; } = ResponseStatus.None;

    public EventKind Kind { get; init; } = EventKind.Default;

    public bool IsCancelled { get; init; }

    /// <summary>People invited, the leader included; rooms and resources not counted.</summary>
    public int AttendeeCount { get; init; }

    public bool IsOrganizer { get; init; }

    public bool IsRecurring { get; init; }

    /// <summary>The id shared by every occurrence of a recurring series, when there is one.</summary>
    public string? SeriesId { get; init; }

    /// <summary>Private events keep their title for the leader's own views only.</summary>
    public bool IsPrivate { get; init; }

    public bool HasExternalAttendees { get; init; }

    /// <summary>Provider categories (Outlook colours and tags): a classifier signal.</summary>
    public IReadOnlyList<string> ProviderCategories { get; init; } = [];

    /// <summary>The first characters of the description: used to classify, never stored.</summary>
    public string? DescriptionPreview { get; init; }

    public Duration Duration => End - Start;
}
