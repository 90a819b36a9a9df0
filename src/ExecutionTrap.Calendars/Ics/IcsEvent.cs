using ExecutionTrap.Domain.Meetings;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using NodaTime;
using Duration = NodaTime.Duration;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>One checked VEVENT: a single event, a recurring master, or an override (RECURRENCE-ID) of one occurrence.</summary>
internal sealed class IcsEvent
{
    /// <summary>The library's event, kept only for a series (RRULE or RDATE), which is expanded from it.</summary>
    public CalendarEvent? Component { get; init; }

    public required string Uid { get; init; }

    public required string Title { get; init; }

    public required CalDateTime Start { get; init; }

    /// <summary>The start of the occurrence this event replaces; null for single events and masters.</summary>
    public CalDateTime? RecurrenceId { get; init; }

    public bool IsOverride => RecurrenceId is not null;

    /// <summary>SEQUENCE: the revision of the event, 0 when absent.</summary>
    public int Sequence { get; init; }

    /// <summary>
    /// Days named by a date-valued RDATE on a date-time event: each adds that day's occurrence at
    /// the event's own time (Ical.Net cannot add a time length to a date).
    /// </summary>
    public IReadOnlyList<DateOnly> AddedDays { get; init; } = [];

    /// <summary>RRULE or RDATE present: this event stands for a series.</summary>
    public bool HasRecurrence { get; init; }

    /// <summary>DTSTART is a DATE: the event fills whole days.</summary>
    public bool IsDateOnly { get; init; }

    /// <summary>All-day by its value type, or by Outlook's own flag on a midnight-to-midnight date-time.</summary>
    public bool IsAllDay { get; init; }

    /// <summary>Whole days of the length, added in local time.</summary>
    public int NominalDays { get; init; }

    /// <summary>The exact part of the length.</summary>
    public Duration ExactLength { get; init; }

    public bool IsCancelled { get; init; }

    public ShowAs ShowAs { get; init; }

    public bool IsPrivate { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public string? DescriptionPreview { get; init; }

    /// <summary>The organizer's lower-case address, mailto: removed.</summary>
    public string? Organizer { get; init; }

    public IReadOnlyList<IcsAttendee> Attendees { get; init; } = [];

    /// <summary>The longest an occurrence can last, for reading a little before the window.</summary>
    public Duration MaxLength => Duration.FromHours(25 * NominalDays) + ExactLength;

    public Instant EndOf(CalDateTime occurrenceStart, DateTimeZone calendarZone) =>
        IcsTime.Add(occurrenceStart, NominalDays, ExactLength, calendarZone);

    public string Describe() => $"event \"{Title}\" (UID {Uid})";

    public Meeting ToMeeting(string providerId, Instant start, Instant end, bool isRecurring, string? ownerEmail)
    {
        var owner = string.IsNullOrWhiteSpace(ownerEmail) ? null : ownerEmail.Trim().ToLowerInvariant();
        var isOrganizer = owner is not null && owner == Organizer;
        var people = Attendees.Where(a => !a.IsResource).Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        if (Organizer is not null)
        {
            people.Add(Organizer);
        }

        return new Meeting
        {
            Provider = CalendarProvider.Ics,
            ProviderId = providerId,
            Title = Title,
            Start = start,
            End = end,
            IsAllDay = IsAllDay,
            ShowAs = ShowAs,
            Response = ResponseOf(owner, isOrganizer),
            IsCancelled = IsCancelled,
            AttendeeCount = Math.Max(1, people.Count),
            IsOrganizer = isOrganizer,
            IsRecurring = isRecurring,
            SeriesId = isRecurring ? Uid : null,
            IsPrivate = IsPrivate,
            HasExternalAttendees = HasOtherDomain(owner, people),
            ProviderCategories = Categories,
            DescriptionPreview = DescriptionPreview,
        };
    }

    private ResponseStatus ResponseOf(string? owner, bool isOrganizer)
    {
        var status = owner is null
            ? null
            : Attendees.FirstOrDefault(a => a.Key == owner && a.ParticipationStatus is not null)?.ParticipationStatus;
        var answered = status switch
        {
            "ACCEPTED" => ResponseStatus.Accepted,
            "DECLINED" => ResponseStatus.Declined,
            "TENTATIVE" => ResponseStatus.Tentative,
            "NEEDS-ACTION" => ResponseStatus.NotResponded,

            // Delegated: someone else goes in the leader's place, so the leader's time is not spent.
            "DELEGATED" => ResponseStatus.Declined,
            _ => (ResponseStatus?)null,
        };
        if (answered is { } response)
        {
            return response;
        }

        if (isOrganizer)
        {
            return ResponseStatus.Organizer;
        }

        // Listed without PARTSTAT: RFC 5545's default is NEEDS-ACTION.
        return owner is not null && Attendees.Any(a => a.Key == owner) ? ResponseStatus.NotResponded : ResponseStatus.None;
    }

    private static bool HasOtherDomain(string? owner, HashSet<string> people)
    {
        var at = owner?.LastIndexOf('@') ?? -1;
        if (owner is null || at < 0)
        {
            return false;
        }

        var domain = owner[at..];
        return people.Any(p => p.Contains('@', StringComparison.Ordinal) && !p.EndsWith(domain, StringComparison.Ordinal));
    }
}
