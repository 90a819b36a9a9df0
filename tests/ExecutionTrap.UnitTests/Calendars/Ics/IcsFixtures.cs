using System.Text;

namespace ExecutionTrap.UnitTests.Calendars.Ics;

/// <summary>The shared ICS fixtures (never copied into the repository) and a builder for inline calendars.</summary>
internal static class IcsFixtures
{
    public const string Exchange2010 = "exchange2010-recurring-windows-tzid-recurrence-id.ics";
    public const string GoogleMovedInstance = "google-export-moved-instance-recurrence-id.ics";
    public const string Outlook11 = "outlook11-weekly-recurring-vtimezone.ics";
    public const string Outlook12 = "outlook12-export-windows-tzid.ics";

    private static readonly Lazy<string> Folder = new(FindFolder);

    public static string PathOf(string name) => Path.Combine(Folder.Value, name);

    public static string Read(string name) => File.ReadAllText(PathOf(name));

    /// <summary>A file of this repository (samples/…), found from the folder holding ExecutionTrap.sln.</summary>
    public static string ReadRepoFile(string relativePath)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExecutionTrap.sln")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, relativePath));
            }
        }

        throw new DirectoryNotFoundException($"No ExecutionTrap.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A calendar around the given VEVENT bodies (the lines between BEGIN:VEVENT and END:VEVENT).</summary>
    public static string Calendar(string? timeZone, params string[] events)
    {
        var text = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ExecutionTrap//Tests//EN\r\n");
        if (timeZone is not null)
        {
            text.Append("X-WR-TIMEZONE:").Append(timeZone).Append("\r\n");
        }

        foreach (var body in events)
        {
            text.Append("BEGIN:VEVENT\r\n");
            foreach (var line in body.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                text.Append(line.Trim()).Append("\r\n");
            }

            text.Append("END:VEVENT\r\n");
        }

        return text.Append("END:VCALENDAR\r\n").ToString();
    }

    // <repo root>/../shared/fixtures: the first folder above the test binaries holding shared/fixtures.
    private static string FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "ics");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/fixtures/ics above {AppContext.BaseDirectory}.");
    }
}
