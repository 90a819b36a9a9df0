using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Storage.Entities;

/// <summary>A meeting as stored: the provider's facts plus the decision about it.</summary>
public sealed class StoredMeeting
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public required string ProviderId { get; set; }

    public CalendarProvider Provider { get; set; }

    public required string Title { get; set; }

    public Instant Start { get; set; }

    public Instant End { get; set; }

    public bool IsAllDay { get; set; }

    public ShowAs ShowAs { get; set; }

    public ResponseStatus Response { get; set; }

    public EventKind Kind { get; set; }

    public bool IsCancelled { get; set; }

    public int AttendeeCount { get; set; }

    public bool IsOrganizer { get; set; }

    public bool IsRecurring { get; set; }

    public string? SeriesId { get; set; }

    public bool IsPrivate { get; set; }

    public bool HasExternalAttendees { get; set; }

    /// <summary>Provider categories joined by newlines.</summary>
    public string ProviderCategories { get; set; } = "";

    public Category? Category { get; set; }

    public ExclusionReason? Excluded { get; set; }

    public double Confidence { get; set; }

    /// <summary>The evidence words, joined by newlines.</summary>
    public string Evidence { get; set; } = "";

    /// <summary>The model version, rule or correction that decided the category.</summary>
    public string DecidedBy { get; set; } = "";

    /// <summary>The leader's own correction; it wins over every model and rule.</summary>
    public Category? CorrectedCategory { get; set; }

    /// <summary>The full read that last listed this meeting.</summary>
    public Guid? SeenInRead { get; set; }

    public Instant UpdatedAt { get; set; }
}
