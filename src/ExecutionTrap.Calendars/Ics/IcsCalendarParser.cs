using System.Text;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using NodaTime;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Reads iCalendar text into an <see cref="IcsCalendar"/>, checking every event first: a calendar
/// with one corrupt event is refused whole, so it never partly replaces good stored data. Alarms,
/// to-dos, journals and unknown components are dropped before parsing (see <see cref="IcsContentLines"/>),
/// and an event recurring more often than once a minute is skipped and counted.
/// Usable without DI (the CLI calls it on a file it read itself).
/// </summary>
internal static class IcsCalendarParser
{
    private const int DescriptionPreviewLength = 200;

    private const int EventsPerLoad = 256;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <param name="content">The bytes of the file or feed, UTF-8 as RFC 5545 requires.</param>
    /// <param name="source">The path or URL, named in error messages.</param>
    /// <exception cref="CalendarSourceException">The text is not a usable calendar (Kind BadData).</exception>
    public static IcsCalendar Parse(ReadOnlySpan<byte> content, string source) => Parse(Utf8.GetString(content), source);

    /// <summary>Reads at most <paramref name="maxBytes"/> from the stream, then parses.</summary>
    /// <exception cref="CalendarSourceException">Too large, or not a usable calendar (Kind BadData).</exception>
    public static async Task<IcsCalendar> ParseAsync(Stream stream, string source, long maxBytes, CancellationToken cancellationToken)
    {
        var content = await IcsFeedReader.ReadBoundedAsync(stream, source, maxBytes, cancellationToken);
        return Parse(content, source);
    }

    /// <exception cref="CalendarSourceException">The text is not a usable calendar (Kind BadData).</exception>
    public static IcsCalendar Parse(string text, string source)
    {
        var document = IcsContentLines.Split(text, source);
        var header = Load(document.Header, source)
            ?? throw new CalendarSourceException(CalendarErrorKind.BadData, $"{source} is not an iCalendar file: no BEGIN:VCALENDAR.");

        var zone = CalendarZone(header);
        var events = new List<IcsEvent>(document.Events.Count);
        var subMinute = 0;
        var batch = new StringBuilder();
        for (var first = 0; first < document.Events.Count; first += EventsPerLoad)
        {
            // A few hundred events at a time, their text released once read: the object model of a
            // whole large file is never held at once, and one load's overhead is shared.
            batch.Clear().Append("BEGIN:VCALENDAR\r\n");
            for (var i = first; i < Math.Min(first + EventsPerLoad, document.Events.Count); i++)
            {
                batch.Append(document.Events[i]);
                document.Events[i] = "";
            }

            var loaded = Load(batch.Append("END:VCALENDAR\r\n").ToString(), source);
            foreach (var component in loaded?.Events ?? Enumerable.Empty<CalendarEvent>())
            {
                if (component.RecurrenceRule?.Frequency is FrequencyType.Secondly)
                {
                    // A meeting does not recur every few seconds; expanding one would fill the worker's memory.
                    subMinute++;
                    continue;
                }

                events.Add(Check(component, source, zone ?? DateTimeZone.Utc));
            }
        }

        var name = (header.Properties["X-WR-CALNAME"]?.Value as string)?.Trim();
        return new IcsCalendar(source, string.IsNullOrEmpty(name) ? null : name, zone, events) { SubMinuteEventsSkipped = subMinute };
    }

    private static Calendar? Load(string text, string source)
    {
        try
        {
            return Calendar.Load(text);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new CalendarSourceException(CalendarErrorKind.BadData, $"{source} could not be read as iCalendar: {ex.Message}", ex);
        }
    }

    // X-WR-TIMEZONE (Google, Apple), else the only VTIMEZONE (Outlook publishes one), else none.
    private static DateTimeZone? CalendarZone(Calendar calendar)
    {
        if (IcsTimeZones.Find(calendar.Properties["X-WR-TIMEZONE"]?.Value as string) is { } declared)
        {
            return declared;
        }

        var defined = calendar.TimeZones.Select(t => t.TzId).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct().ToList();
        return defined.Count == 1 ? IcsTimeZones.Find(defined[0]) : null;
    }

    private static IcsEvent Check(CalendarEvent component, string source, DateTimeZone calendarZone)
    {
        var uid = component.Uid?.Trim() ?? "";
        var summary = component.Summary?.Trim();
        var title = string.IsNullOrEmpty(summary) ? "(no title)" : summary;
        var what = $"event \"{title}\" (UID {uid})";

        foreach (var property in component.Properties)
        {
            var tzId = property.Parameters.Get("TZID");
            if (tzId is not null && IcsTimeZones.Find(tzId) is null)
            {
                throw UnknownZone(source, what, tzId);
            }
        }

        CalDateTime? start, end, recurrenceId;
        Ical.Net.DataTypes.Duration? length;
        try
        {
            start = component.DtStart;
            end = component.DtEnd;
            length = component.Duration;
            recurrenceId = component.RecurrenceIdentifier?.StartTime;
        }
        catch (ArgumentException ex)
        {
            // Our lookup knew the zone but Ical.Net's did not (a Windows id newer than its tables).
            throw new CalendarSourceException(CalendarErrorKind.BadData, $"{source}: {what} uses a time zone that cannot be read: {ex.Message}", ex);
        }

        if (start is null)
        {
            throw BadData($"{source}: {what} has no valid DTSTART.");
        }

        if (end is null && component.Properties.ContainsKey("DTEND"))
        {
            throw BadData($"{source}: {what} has an invalid DTEND.");
        }

        if (recurrenceId is null && component.Properties.ContainsKey("RECURRENCE-ID"))
        {
            throw BadData($"{source}: {what} has an invalid RECURRENCE-ID.");
        }

        LocaliseUntil(component, start, calendarZone);
        var (nominalDays, exact) = Length(start, end, length, calendarZone);
        if (IcsTime.Add(start, nominalDays, exact, calendarZone) < IcsTime.ToInstant(start, calendarZone))
        {
            var until = end is not null ? $"DTEND {end}" : $"DURATION {length}";
            throw BadData($"{source}: {what} ends before it starts (DTSTART {start}, {until}).");
        }

        var hasRecurrence = component.RecurrenceRule is not null || component.RecurrenceDates.GetAllDates().Any();
        var addedDays = new List<DateOnly>();
        if (start.HasTime)
        {
            foreach (var day in component.RecurrenceDates.GetAllDates().Where(d => !d.HasTime).ToList())
            {
                component.RecurrenceDates.Remove(day);
                addedDays.Add(day.Date);
            }
        }

        var busyStatus = (component.Properties["X-MICROSOFT-CDO-BUSYSTATUS"]?.Value as string)?.Trim().ToUpperInvariant();
        var outlookAllDay = string.Equals(
            (component.Properties["X-MICROSOFT-CDO-ALLDAYEVENT"]?.Value as string)?.Trim(), "TRUE", StringComparison.OrdinalIgnoreCase);

        return new IcsEvent
        {
            // Only a series is expanded later; a single event's object model is let go.
            Component = hasRecurrence ? component : null,
            Uid = uid,
            Title = title,
            Start = start,
            RecurrenceId = recurrenceId,
            HasRecurrence = hasRecurrence,
            AddedDays = addedDays,
            Sequence = component.Sequence,
            IsDateOnly = !start.HasTime,
            IsAllDay = !start.HasTime || outlookAllDay,
            NominalDays = nominalDays,
            ExactLength = exact,
            IsCancelled = string.Equals(component.Status?.Trim(), "CANCELLED", StringComparison.OrdinalIgnoreCase),
            ShowAs = ShowAsOf(busyStatus, component.Transparency),
            IsPrivate = component.Class?.Trim().ToUpperInvariant() is "PRIVATE" or "CONFIDENTIAL",
            Categories = component.Categories
                .SelectMany(c => c.Split(','))
                .Select(c => c.Trim())
                .Where(c => c.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList(),
            DescriptionPreview = Preview(component.Description),
            Organizer = component.Organizer?.Value is { } organizer ? AddressKey(organizer.OriginalString) : null,
            Attendees = component.Attendees.Select(ToAttendee).Where(a => a is not null).Select(a => a!).ToList(),
        };
    }

    // Exchange writes UNTIL as a UTC date-time even for an all-day series, where RFC 5545 wants a
    // DATE: 20200916T230000Z is midnight starting 17 September in London, the last day. Compared
    // with a date as if it were UTC, that last day would be lost; read in the calendar's zone it is
    // kept. Floating series get the same treatment.
    private static void LocaliseUntil(CalendarEvent component, CalDateTime start, DateTimeZone calendarZone)
    {
        if (component.RecurrenceRule is not { Until: { IsUtc: true, HasTime: true } until } rule || !(start.IsFloating || !start.HasTime))
        {
            return;
        }

        var local = IcsTime.ToInstant(until, calendarZone).InZone(calendarZone).LocalDateTime;
        rule.Until = start.HasTime
            ? new CalDateTime(local.Date.ToDateOnly(), local.TimeOfDay.ToTimeOnly(), null)
            : new CalDateTime(local.Date.ToDateOnly());
    }

    // DTEND, else DURATION, else nothing: zero for a date-time, one day for a date (RFC 5545 3.6.1).
    private static (int NominalDays, NodaTime.Duration Exact) Length(
        CalDateTime start, CalDateTime? end, Ical.Net.DataTypes.Duration? length, DateTimeZone calendarZone)
    {
        if (end is not null)
        {
            if (!start.HasTime && !end.HasTime)
            {
                return (end.Date.DayNumber - start.Date.DayNumber, NodaTime.Duration.Zero);
            }

            return (0, IcsTime.ToInstant(end, calendarZone) - IcsTime.ToInstant(start, calendarZone));
        }

        if (length is { } d)
        {
            // Ical.Net keeps the sign on each part (-PT30M is Minutes = -30).
            var days = ((d.Weeks ?? 0) * 7) + (d.Days ?? 0);
            var exact = NodaTime.Duration.FromSeconds(((d.Hours ?? 0) * 3600L) + ((d.Minutes ?? 0) * 60L) + (d.Seconds ?? 0));
            return (days, exact);
        }

        return start.HasTime ? (0, NodaTime.Duration.Zero) : (1, NodaTime.Duration.Zero);
    }

    private static ShowAs ShowAsOf(string? busyStatus, string? transparency) => busyStatus switch
    {
        "FREE" => ShowAs.Free,
        "TENTATIVE" => ShowAs.Tentative,
        "OOF" => ShowAs.OutOfOffice,
        "WORKINGELSEWHERE" => ShowAs.WorkingElsewhere,
        "BUSY" => ShowAs.Busy,
        _ => string.Equals(transparency?.Trim(), "TRANSPARENT", StringComparison.OrdinalIgnoreCase) ? ShowAs.Free : ShowAs.Busy,
    };

    private static string? Preview(string? description)
    {
        var text = description?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length <= DescriptionPreviewLength)
        {
            return text;
        }

        // Never cut a surrogate pair in half.
        var cut = char.IsHighSurrogate(text[DescriptionPreviewLength - 1]) ? DescriptionPreviewLength - 1 : DescriptionPreviewLength;
        return text[..cut];
    }

    private static IcsAttendee? ToAttendee(Attendee attendee)
    {
        var email = attendee.Parameters.Get("EMAIL");
        var key = AddressKey(!string.IsNullOrWhiteSpace(email) ? email : attendee.Value?.OriginalString)
            ?? attendee.CommonName?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        var type = attendee.Parameters.Get("CUTYPE")?.Trim().ToUpperInvariant();
        var status = attendee.Parameters.Get("PARTSTAT")?.Trim().ToUpperInvariant();
        return new IcsAttendee(key, type is "ROOM" or "RESOURCE", string.IsNullOrEmpty(status) ? null : status);
    }

    private static string? AddressKey(string? value)
    {
        var address = value?.Trim();
        if (string.IsNullOrEmpty(address))
        {
            return null;
        }

        if (address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            address = address["mailto:".Length..].Trim();
        }

        return address.Length == 0 ? null : address.ToLowerInvariant();
    }

    private static CalendarSourceException UnknownZone(string source, string what, string tzId) =>
        BadData($"{source}: {what} uses the unknown time zone \"{tzId.Trim().Trim('"')}\" (TZID is neither an IANA nor a Windows time-zone id).");

    private static CalendarSourceException BadData(string message) => new(CalendarErrorKind.BadData, message);
}
