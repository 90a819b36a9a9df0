using System.Security.Cryptography;
using System.Text;
using ExecutionTrap.Domain.Calendars;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Checks the shape of an iCalendar text line by line before the library parses it, and repairs
/// what real exporters get wrong without changing any meeting: a byte-order mark, blank lines,
/// a long text wrapped without the folding space, an event without a UID. A body that is not
/// iCalendar at all, or that was cut short, is refused: parsing what is left would silently drop
/// meetings.
/// </summary>
internal static class IcsContentLines
{
    private const string BeginCalendar = "BEGIN:VCALENDAR";
    private const string EndCalendar = "END:VCALENDAR";

    public static string Repair(string text, string source)
    {
        var lines = text.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0)
        {
            throw BadData($"{source} is empty: no BEGIN:VCALENDAR.");
        }

        if (!lines[first].Trim().Equals(BeginCalendar, StringComparison.OrdinalIgnoreCase))
        {
            throw BadData(LooksLikeHtml(lines[first])
                ? $"{source} is not an iCalendar file: it is an HTML page (no BEGIN:VCALENDAR)."
                : $"{source} is not an iCalendar file: no BEGIN:VCALENDAR at its start.");
        }

        var output = new StringBuilder(text.Length + 256);
        var open = new Stack<string>();
        var eventLines = new List<string>();
        var eventHasUid = false;
        var sawEnd = false;

        for (var i = first; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (open.Count == 0)
            {
                // Anything after the last END:VCALENDAR (a trailing newline, padding, a signature)
                // is ignored unless another calendar starts.
                if (!line.Trim().Equals(BeginCalendar, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                sawEnd = false;
            }

            if (!IsContentLine(line) && !IsFolded(line))
            {
                // A line of text that lost its folding space belongs to the line before it.
                line = "  " + line;
            }

            if (TryComponent(line, "BEGIN:", out var begun))
            {
                open.Push(begun);
                if (begun == "VEVENT")
                {
                    eventLines.Clear();
                    eventHasUid = false;
                }
            }
            else if (TryComponent(line, "END:", out var ended))
            {
                if (open.Count == 0 || open.Peek() != ended)
                {
                    throw BadData($"{source} is malformed: END:{ended} at line {i + 1} does not close "
                        + (open.Count == 0 ? "an open component." : $"BEGIN:{open.Peek()}."));
                }

                open.Pop();
                if (ended == "VEVENT" && !eventHasUid)
                {
                    // Without a UID the library invents a random one on every read; an id derived
                    // from the event's text stays the same for as long as the event does.
                    output.Append("UID:").Append(DerivedUid(eventLines)).Append("\r\n");
                }

                sawEnd = open.Count == 0;
            }
            else if (open.Count > 0 && open.Peek() == "VEVENT")
            {
                eventLines.Add(line);
                eventHasUid |= line.StartsWith("UID:", StringComparison.OrdinalIgnoreCase)
                    || line.StartsWith("UID;", StringComparison.OrdinalIgnoreCase);
            }

            output.Append(line).Append("\r\n");
        }

        if (open.Count > 0 || !sawEnd)
        {
            var inside = open.Count > 0 ? open.Peek() : "VCALENDAR";
            throw BadData($"{source} is incomplete: it ends inside {inside} without {EndCalendar} (the file or download was cut short).");
        }

        return output.ToString();
    }

    private static bool LooksLikeHtml(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith('<')
            && (trimmed.Contains("html", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("<!", StringComparison.Ordinal));
    }

    private static bool IsFolded(string line) => line[0] is ' ' or '\t';

    // name *(";" param) ":" value, where a name is letters, digits and dashes.
    private static bool IsContentLine(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '-'))
        {
            i++;
        }

        return i > 0 && i < line.Length && line[i] is ':' or ';';
    }

    private static bool TryComponent(string line, string keyword, out string name)
    {
        name = "";
        if (!line.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        name = line[keyword.Length..].Trim().ToUpperInvariant();
        return name.Length > 0;
    }

    private static string DerivedUid(List<string> lines)
    {
        var stable = lines.Where(l => !l.StartsWith("DTSTAMP", StringComparison.OrdinalIgnoreCase));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", stable)));
        return "ics-" + Convert.ToHexStringLower(hash)[..24];
    }

    private static CalendarSourceException BadData(string message) => new(CalendarErrorKind.BadData, message);
}
