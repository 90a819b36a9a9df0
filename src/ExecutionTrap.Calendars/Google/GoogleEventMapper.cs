using System.Net;
using System.Text.RegularExpressions;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Calendars.Google;

/// <summary>What a page tells about the calendar that its events leave out.</summary>
/// <param name="CalendarTimeZone">The calendar's IANA zone, for all-day events without their own.</param>
/// <param name="OwnerEmail">The leader's address (or the calendar id), to tell external attendees by domain.</param>
internal sealed record GoogleCalendarContext(string? CalendarTimeZone, string? OwnerEmail);

/// <summary>Turns one Calendar v3 event into a <see cref="Meeting"/>; pure, no I/O.</summary>
internal static partial class GoogleEventMapper
{
    public const string NoTitle = "(no title)";

    public const int DescriptionPreviewLength = 200;

    public static bool IsCancelled(CalendarEvent item) =>
        string.Equals(item.Status, "cancelled", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="CalendarSourceException">The event has no id, or no usable start or end.</exception>
    public static Meeting Map(CalendarEvent item, GoogleCalendarContext context)
    {
        if (string.IsNullOrWhiteSpace(item.Id))
        {
            throw new CalendarSourceException(CalendarErrorKind.BadData, "Google returned an event without an id.");
        }

        var self = item.Attendees?.FirstOrDefault(a => a.Self == true);
        var isOrganizer = item.Organizer?.Self == true || self?.Organizer == true;
        var (start, startIsDate) = ReadTime(item.Start, item.Id, "start", context);
        var (end, _) = ReadTime(item.End, item.Id, "end", context);
        var kind = KindOf(item.EventType);
        var response = ResponseOf(self, isOrganizer);
        var people = item.Attendees?.Where(a => a.Resource != true).ToList() ?? [];
        var ownerDomain = DomainOf(self?.Email)
            ?? DomainOf(item.Organizer?.Self == true ? item.Organizer.Email : null)
            ?? DomainOf(context.OwnerEmail);

        return new Meeting
        {
            Provider = CalendarProvider.Google,
            ProviderId = item.Id,
            Title = string.IsNullOrWhiteSpace(item.Summary) ? NoTitle : item.Summary.Trim(),
            Start = start,
            End = end,
            IsAllDay = startIsDate,
            ShowAs = ShowAsOf(item, kind, response),
            Response = response,
            Kind = kind,
            AttendeeCount = Math.Max(1, people.Count),
            IsOrganizer = isOrganizer,
            IsRecurring = item.RecurringEventId is not null || item.Recurrence is { Count: > 0 },
            SeriesId = item.RecurringEventId ?? (item.Recurrence is { Count: > 0 } ? item.Id : null),
            IsPrivate = item.Visibility is "private" or "confidential",
            HasExternalAttendees = ownerDomain is not null && people.Any(a =>
                DomainOf(a.Email) is { } domain && !string.Equals(domain, ownerDomain, StringComparison.OrdinalIgnoreCase)),
            DescriptionPreview = Preview(item.Description),
        };
    }

    private static EventKind KindOf(string? eventType) => eventType switch
    {
        "focusTime" => EventKind.FocusTime,
        "outOfOffice" => EventKind.OutOfOffice,
        "workingLocation" => EventKind.WorkingLocation,
        _ => EventKind.Default,
    };

    private static ResponseStatus ResponseOf(EventAttendee? self, bool isOrganizer) => self?.ResponseStatus switch
    {
        "declined" => ResponseStatus.Declined,
        _ when isOrganizer => ResponseStatus.Organizer,
        "accepted" => ResponseStatus.Accepted,
        "tentative" => ResponseStatus.Tentative,
        "needsAction" => ResponseStatus.NotResponded,
        _ => ResponseStatus.None,
    };

    private static ShowAs ShowAsOf(CalendarEvent item, EventKind kind, ResponseStatus response)
    {
        if (string.Equals(item.Transparency, "transparent", StringComparison.OrdinalIgnoreCase))
        {
            return ShowAs.Free;
        }

        return kind switch
        {
            EventKind.OutOfOffice => ShowAs.OutOfOffice,
            EventKind.WorkingLocation => ShowAs.WorkingElsewhere,
            _ when response == ResponseStatus.Tentative => ShowAs.Tentative,
            _ => ShowAs.Busy,
        };
    }

    private static (Instant Instant, bool IsDate) ReadTime(EventDateTime? time, string id, string which, GoogleCalendarContext context)
    {
        if (time?.DateTime is { Length: > 0 } text)
        {
            var withOffset = OffsetDateTimePattern.Rfc3339.Parse(text);
            if (withOffset.Success)
            {
                return (withOffset.Value.ToInstant(), false);
            }

            // Google allows a local time when the zone is named beside it.
            var local = LocalDateTimePattern.ExtendedIso.Parse(text);
            if (local.Success && ZoneOf(time.TimeZone) is { } zone)
            {
                return (local.Value.InZoneLeniently(zone).ToInstant(), false);
            }

            throw new CalendarSourceException(
                CalendarErrorKind.BadData,
                $"Google event '{id}' has an unreadable {which} time '{text}' (expected RFC 3339 with an offset).");
        }

        if (time?.Date is { Length: > 0 } dateText)
        {
            var date = LocalDatePattern.Iso.Parse(dateText);
            if (!date.Success)
            {
                throw new CalendarSourceException(
                    CalendarErrorKind.BadData,
                    $"Google event '{id}' has an unreadable {which} date '{dateText}' (expected yyyy-mm-dd).");
            }

            var zone = ZoneOf(time.TimeZone) ?? ZoneOf(context.CalendarTimeZone) ?? DateTimeZone.Utc;
            return (date.Value.AtStartOfDayInZone(zone).ToInstant(), true);
        }

        throw new CalendarSourceException(CalendarErrorKind.BadData, $"Google event '{id}' has no {which} time.");
    }

    private static DateTimeZone? ZoneOf(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);

    private static string? DomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 || at == email!.Length - 1 ? null : email[(at + 1)..].Trim().ToLowerInvariant();
    }

    // Descriptions written in Google Calendar's editor are HTML; the classifier wants the words.
    private static string? Preview(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return null;
        }

        var text = Whitespace().Replace(WebUtility.HtmlDecode(Tags().Replace(description, " ")), " ").Trim();
        if (text.Length <= DescriptionPreviewLength)
        {
            return text.Length == 0 ? null : text;
        }

        var cut = char.IsHighSurrogate(text[DescriptionPreviewLength - 1]) ? DescriptionPreviewLength - 1 : DescriptionPreviewLength;
        return text[..cut];
    }

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
