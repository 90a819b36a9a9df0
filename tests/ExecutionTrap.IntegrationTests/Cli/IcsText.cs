using System.Text;

namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>Small iCalendar bodies written by the tests, so every minute in them can be counted by hand.</summary>
internal static class IcsText
{
    public static string Calendar(string timeZone, params string[] events)
    {
        var text = new StringBuilder();
        text.Append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ExecutionTrap//cli tests//EN\r\n");
        text.Append("X-WR-CALNAME:Dana – Work\r\n");
        text.Append("X-WR-TIMEZONE:").Append(timeZone).Append("\r\n");
        foreach (var e in events)
        {
            text.Append(e);
        }

        return text.Append("END:VCALENDAR\r\n").ToString();
    }

    /// <summary>One VEVENT; <c>lines</c> are DTSTART, DTEND and any other properties, one per entry, as written in the file.</summary>
    public static string Event(string uid, string title, params string[] lines)
    {
        var text = new StringBuilder();
        text.Append("BEGIN:VEVENT\r\nUID:").Append(uid).Append("@cli-tests\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:").Append(title).Append("\r\n");
        foreach (var line in lines)
        {
            text.Append(line).Append("\r\n");
        }

        return text.Append("END:VEVENT\r\n").ToString();
    }
}
