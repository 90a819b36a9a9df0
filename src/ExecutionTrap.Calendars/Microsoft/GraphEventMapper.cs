using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using NodaTime;
using NodaTime.Text;
using TimeZoneConverter;
using AttendeeType = Microsoft.Graph.Models.AttendeeType;
using DateTimeTimeZone = Microsoft.Graph.Models.DateTimeTimeZone;
using EventType = Microsoft.Graph.Models.EventType;
using FreeBusyStatus = Microsoft.Graph.Models.FreeBusyStatus;
using GraphEvent = Microsoft.Graph.Models.Event;
using GraphResponse = Microsoft.Graph.Models.ResponseType;
using Sensitivity = Microsoft.Graph.Models.Sensitivity;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>Graph <c>event</c> → <see cref="Meeting"/>. Pure: no I/O, no clock.</summary>
internal static class GraphEventMapper
{
    public const string NoTitle = "(no title)";
    public const int PreviewLength = 200;

    // Graph writes seven fractional digits ("2016-12-09T20:30:00.0000000"); ExtendedIso reads up to nine, or none.
    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.ExtendedIso;

    /// <summary>
    /// The meeting for one event, or null for a series master: calendarView lists each occurrence
    /// with its own time, and the master's time is only the first one's.
    /// </summary>
    /// <param name="graphEvent">The event as Graph sent it.</param>
    /// <param name="ownerEmail">The leader's address when known, to tell whether they are in the attendee list.</param>
    /// <exception cref="CalendarSourceException">The event has no id, no start or end, or a time zone nobody knows.</exception>
    public static Meeting? ToMeeting(GraphEvent graphEvent, string? ownerEmail)
    {
        if (graphEvent.Type == EventType.SeriesMaster)
        {
            return null;
        }

        var id = graphEvent.Id is { Length: > 0 } eventId
            ? eventId
            : throw BadData("an event has no id");
        var isRecurring = graphEvent.Type is EventType.Occurrence or EventType.Exception;
        return new Meeting
        {
            Provider = CalendarProvider.Microsoft,
            ProviderId = id,
            Title = string.IsNullOrWhiteSpace(graphEvent.Subject) ? NoTitle : graphEvent.Subject,
            Start = ToInstant(graphEvent.Start, id, "start"),
            End = ToInstant(graphEvent.End, id, "end"),
            IsAllDay = graphEvent.IsAllDay ?? false,
            ShowAs = ToShowAs(graphEvent.ShowAs),
            Response = ToResponse(graphEvent.ResponseStatus?.Response, graphEvent.IsOrganizer ?? false),
            IsCancelled = graphEvent.IsCancelled ?? false,
            IsOrganizer = graphEvent.IsOrganizer ?? false,
            AttendeeCount = CountAttendees(graphEvent, ownerEmail),
            IsRecurring = isRecurring,
            SeriesId = isRecurring && !string.IsNullOrEmpty(graphEvent.SeriesMasterId) ? graphEvent.SeriesMasterId : null,
            IsPrivate = graphEvent.Sensitivity is Sensitivity.Private or Sensitivity.Confidential,
            HasExternalAttendees = HasExternalAttendees(graphEvent),
            ProviderCategories = graphEvent.Categories?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!).ToArray() ?? [],
            DescriptionPreview = Preview(graphEvent.BodyPreview),
        };
    }

    internal static Instant ToInstant(DateTimeTimeZone? value, string eventId, string which)
    {
        if (value?.DateTime is not { Length: > 0 } text)
        {
            throw BadData($"event {eventId} has no {which} time");
        }

        // A trailing Z is not Graph's format, but the time it names is unambiguous.
        var isUtc = text.EndsWith('Z');
        var local = LocalPattern.Parse(isUtc ? text[..^1] : text);
        if (!local.Success)
        {
            throw BadData($"event {eventId} has an unreadable {which} time '{text}'");
        }

        var zone = (isUtc ? DateTimeZone.Utc : ZoneFor(value.TimeZone))
            ?? throw BadData($"event {eventId} has an unknown time zone '{value.TimeZone}'");
        return local.Value.InZoneLeniently(zone).ToInstant();
    }

    /// <summary>IANA ids, Windows names ("Pacific Standard Time") and Graph's UTC spellings.</summary>
    internal static DateTimeZone? ZoneFor(string? timeZone)
    {
        var name = timeZone?.Trim();
        if (string.IsNullOrEmpty(name)
            || name.Equals("UTC", StringComparison.OrdinalIgnoreCase)
            || name.Equals("tzone://Microsoft/Utc", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeZone.Utc;
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(name) is { } iana)
        {
            return iana;
        }

        return TZConvert.TryWindowsToIana(name, out var ianaName)
            ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(ianaName)
            : null;
    }

    private static ShowAs ToShowAs(FreeBusyStatus? status) => status switch
    {
        FreeBusyStatus.Free => ShowAs.Free,
        FreeBusyStatus.Tentative => ShowAs.Tentative,
        FreeBusyStatus.Oof => ShowAs.OutOfOffice,
        FreeBusyStatus.WorkingElsewhere => ShowAs.WorkingElsewhere,
        _ => ShowAs.Busy,
    };

    private static ResponseStatus ToResponse(GraphResponse? response, bool isOrganizer) => response switch
    {
        GraphResponse.Organizer => ResponseStatus.Organizer,
        GraphResponse.Accepted => ResponseStatus.Accepted,
        GraphResponse.TentativelyAccepted => ResponseStatus.Tentative,
        GraphResponse.Declined => ResponseStatus.Declined,
        GraphResponse.NotResponded => ResponseStatus.NotResponded,
        _ when isOrganizer => ResponseStatus.Organizer,
        _ => ResponseStatus.None,
    };

    /// <summary>Required and optional attendees, plus the leader when the list leaves them out.</summary>
    private static int CountAttendees(GraphEvent graphEvent, string? ownerEmail)
    {
        var people = (graphEvent.Attendees ?? [])
            .Where(a => a is not null && a.Type != AttendeeType.Resource)
            .Select(a => a.EmailAddress?.Address)
            .ToList();

        // The organiser's copy of an event does not list the organiser; an invitee's copy lists the invitee.
        var leader = ownerEmail is { Length: > 0 } ? ownerEmail
            : graphEvent.IsOrganizer == true ? graphEvent.Organizer?.EmailAddress?.Address
            : null;
        var leaderListed = leader is null
            ? people.Count > 0
            : people.Any(a => string.Equals(a, leader, StringComparison.OrdinalIgnoreCase));
        return people.Count + (leaderListed ? 0 : 1);
    }

    private static bool HasExternalAttendees(GraphEvent graphEvent)
    {
        var organizerDomain = DomainOf(graphEvent.Organizer?.EmailAddress?.Address);
        if (organizerDomain is null)
        {
            return false;
        }

        return (graphEvent.Attendees ?? [])
            .Select(a => DomainOf(a?.EmailAddress?.Address))
            .Any(domain => domain is not null && !string.Equals(domain, organizerDomain, StringComparison.OrdinalIgnoreCase));
    }

    private static string? DomainOf(string? address)
    {
        var at = address?.LastIndexOf('@') ?? -1;
        return at > 0 && at < address!.Length - 1 ? address[(at + 1)..].Trim() : null;
    }

    private static string? Preview(string? bodyPreview)
    {
        if (string.IsNullOrWhiteSpace(bodyPreview))
        {
            return null;
        }

        if (bodyPreview.Length <= PreviewLength)
        {
            return bodyPreview;
        }

        // Never cut an emoji or other surrogate pair in half.
        var length = char.IsHighSurrogate(bodyPreview[PreviewLength - 1]) ? PreviewLength - 1 : PreviewLength;
        return bodyPreview[..length];
    }

    private static CalendarSourceException BadData(string problem) =>
        new(CalendarErrorKind.BadData, $"Microsoft Graph returned an unusable event: {problem}.");
}
