using NodaTime;
using TimeZoneConverter;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Turns an iCalendar TZID into a tz database zone: IANA ids as they are, Windows ids
/// ("GMT Standard Time") through the CLDR mapping. Nothing is guessed from parts of a name,
/// because a wrong zone silently moves every meeting.
/// </summary>
internal static class IcsTimeZones
{
    public static DateTimeZone? Find(string? tzId)
    {
        var id = tzId?.Trim().Trim('"').Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        if (zone is not null)
        {
            return zone;
        }

        return TZConvert.TryWindowsToIana(id, out var iana)
            ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana)
            : null;
    }
}
