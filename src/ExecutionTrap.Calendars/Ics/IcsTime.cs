using Ical.Net.DataTypes;
using NodaTime;
using Duration = NodaTime.Duration;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Converts iCalendar date-times to instants with our own zone lookup. Local times that fall in a
/// DST gap move forward by the gap and ambiguous ones take the earlier offset, as RFC 5545 asks.
/// </summary>
internal static class IcsTime
{
    /// <param name="value">A DTSTART, DTEND, RECURRENCE-ID or occurrence start.</param>
    /// <param name="calendarZone">The zone for dates and floating times: the calendar's own, else UTC.</param>
    public static Instant ToInstant(CalDateTime value, DateTimeZone calendarZone)
    {
        if (!value.HasTime)
        {
            return LocalDate.FromDateOnly(value.Date).AtStartOfDayInZone(calendarZone).ToInstant();
        }

        return LocalDateTime.FromDateTime(value.Value).InZoneLeniently(ZoneOf(value, calendarZone)).ToInstant();
    }

    /// <summary>Adds whole days in local time (a day across a DST change is 23 or 25 hours), then exact time.</summary>
    public static Instant Add(CalDateTime start, int nominalDays, Duration exact, DateTimeZone calendarZone)
    {
        if (nominalDays == 0)
        {
            return ToInstant(start, calendarZone) + exact;
        }

        if (!start.HasTime)
        {
            return LocalDate.FromDateOnly(start.Date).PlusDays(nominalDays).AtStartOfDayInZone(calendarZone).ToInstant() + exact;
        }

        var local = LocalDateTime.FromDateTime(start.Value).PlusDays(nominalDays);
        return local.InZoneLeniently(ZoneOf(start, calendarZone)).ToInstant() + exact;
    }

    public static DateTimeZone ZoneOf(CalDateTime value, DateTimeZone calendarZone)
    {
        if (value.IsUtc)
        {
            return DateTimeZone.Utc;
        }

        if (value.IsFloating || string.IsNullOrEmpty(value.TzId))
        {
            return calendarZone;
        }

        // The parser refused unknown TZIDs before any date was read, so this lookup cannot fail here.
        return IcsTimeZones.Find(value.TzId)
            ?? throw new InvalidOperationException($"Time zone '{value.TzId}' was not checked by the parser.");
    }
}
