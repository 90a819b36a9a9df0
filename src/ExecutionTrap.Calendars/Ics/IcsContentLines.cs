using System.Security.Cryptography;
using System.Text;
using ExecutionTrap.Domain.Calendars;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// Checks the shape of an iCalendar text line by line before the library parses it, and repairs
/// what real exporters get wrong without changing any meeting: a byte-order mark, blank lines,
/// a long text wrapped without the folding space, an event without a UID. A body that is not
/// iCalendar at all, or that was cut short, is refused: parsing what is left would silently drop
/// meetings. Components that carry no meeting (alarms, to-dos, journals, free/busy, unknown ones)
/// are dropped here, even when misspelt or left unclosed, so that one broken alarm or to-do never
/// costs a calendar its events; each event comes out as its own text, parsed one at a time, so
/// that a large file is never held as a whole object model.
/// </summary>
internal static class IcsContentLines
{
    private const string BeginCalendar = "BEGIN:VCALENDAR";
    private const string EndCalendar = "END:VCALENDAR";

    /// <summary>Splits and repairs the text; see the class summary.</summary>
    /// <exception cref="CalendarSourceException">Not iCalendar, cut short, or an event's components mismatched (Kind BadData).</exception>
    public static IcsDocument Split(string text, string source)
    {
        // A NUL is never meaningful in iCalendar text, and one in a title made the library refuse the whole file.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            text = text.Replace("\0", "", StringComparison.Ordinal);
        }

        var lines = new LineReader(text);
        string? line;
        var lineNumber = 0;
        while ((line = lines.Next()) is not null && line.Trim().Length == 0)
        {
            lineNumber++;
        }

        if (line is null)
        {
            throw BadData($"{source} is empty: no BEGIN:VCALENDAR.");
        }

        if (!line.Trim().Equals(BeginCalendar, StringComparison.OrdinalIgnoreCase))
        {
            throw BadData(LooksLikeHtml(line)
                ? $"{source} is not an iCalendar file: it is an HTML page (no BEGIN:VCALENDAR)."
                : $"{source} is not an iCalendar file: no BEGIN:VCALENDAR at its start.");
        }

        var header = new StringBuilder();
        var events = new List<string>();
        var dropped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var current = new StringBuilder();
        var open = new Stack<string>();
        var skipping = new Stack<string>();
        var eventLines = new List<string>();
        var eventHasUid = false;
        var sawEnd = false;
        var calendars = 0;

        for (; line is not null; line = lines.Next())
        {
            lineNumber++;
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

            var begins = TryComponent(line, "BEGIN:", out var begun);
            var ends = !begins && TryComponent(line, "END:", out var ended) ? ended : null;

            if (skipping.Count > 0)
            {
                // Inside a dropped component: its own nesting is followed; a kept component that
                // begins at calendar level, or the end of what encloses it, shows it was never closed.
                if (begins && !(open.Peek() == "VCALENDAR" && begun is "VEVENT" or "VTIMEZONE" or "VCALENDAR"))
                {
                    skipping.Push(begun);
                    continue;
                }

                if (ends is not null && skipping.Contains(ends))
                {
                    while (skipping.Pop() != ends)
                    {
                    }

                    continue;
                }

                if (!(begins || (ends is not null && open.Contains(ends))))
                {
                    continue;
                }

                skipping.Clear();
            }

            if (begins)
            {
                var parent = open.Count > 0 ? open.Peek() : null;
                if (!Keeps(parent, begun))
                {
                    dropped[begun] = dropped.GetValueOrDefault(begun) + 1;
                    skipping.Push(begun);
                    continue;
                }

                open.Push(begun);
                if (begun == "VCALENDAR")
                {
                    calendars++;
                    continue;
                }

                if (begun == "VEVENT")
                {
                    eventLines.Clear();
                    eventHasUid = false;
                    current.Clear();
                }
            }
            else if (ends is not null)
            {
                if (open.Count > 0 && open.Peek() == "VCALENDAR" && ends != "VCALENDAR" && !open.Contains(ends))
                {
                    // The end of a to-do or journal whose BEGIN was misspelt: nothing to close.
                    continue;
                }

                if (open.Count == 0 || open.Peek() != ends)
                {
                    throw BadData($"{source} is malformed: END:{ends} at line {lineNumber} does not close "
                        + (open.Count == 0 ? "an open component." : $"BEGIN:{open.Peek()}."));
                }

                open.Pop();
                sawEnd = open.Count == 0;
                if (ends == "VCALENDAR")
                {
                    continue;
                }

                if (ends == "VEVENT")
                {
                    if (!eventHasUid)
                    {
                        // Without a UID the library invents a random one on every read; an id derived
                        // from the event's text stays the same for as long as the event does.
                        current.Append("UID:").Append(DerivedUid(eventLines)).Append("\r\n");
                    }

                    current.Append(line).Append("\r\n");
                    events.Add(current.ToString());
                    current.Clear();
                    continue;
                }
            }
            else if (open.Count > 0 && open.Peek() == "VEVENT")
            {
                eventLines.Add(line);
                eventHasUid |= line.StartsWith("UID:", StringComparison.OrdinalIgnoreCase)
                    || line.StartsWith("UID;", StringComparison.OrdinalIgnoreCase);
            }

            if (open.Contains("VEVENT") || (begins && begun == "VEVENT"))
            {
                current.Append(line).Append("\r\n");
            }
            else if (calendars == 1)
            {
                // The first calendar's own properties and time zones: its name and zone.
                header.Append(line).Append("\r\n");
            }
        }

        if (open.Count > 0 || !sawEnd)
        {
            var inside = open.Count > 0 ? open.Peek() : "VCALENDAR";
            throw BadData($"{source} is incomplete: it ends inside {inside} without {EndCalendar} (the file or download was cut short).");
        }

        return new IcsDocument($"{BeginCalendar}\r\n{header}{EndCalendar}\r\n", events, dropped);
    }

    // Only what describes meetings is handed to the parser: events, and time zones with their rules.
    private static bool Keeps(string? parent, string component) => (parent, component) switch
    {
        (null, "VCALENDAR") => true,
        ("VCALENDAR", "VEVENT" or "VTIMEZONE") => true,
        ("VTIMEZONE", "STANDARD" or "DAYLIGHT") => true,
        _ => false,
    };

    // Lines of the text without splitting it all at once: a 10 MiB file is not copied line by line.
    private sealed class LineReader(string text)
    {
        private int _position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;

        public string? Next()
        {
            if (_position >= text.Length)
            {
                return null;
            }

            var end = text.IndexOfAny(['\r', '\n'], _position);
            if (end < 0)
            {
                end = text.Length;
            }

            var line = text[_position..end];
            _position = end < text.Length && text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? end + 2 : end + 1;
            return line;
        }
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

/// <summary>An iCalendar text split for parsing.</summary>
/// <param name="Header">A calendar with the first calendar's own properties and time zones, no events.</param>
/// <param name="Events">Each VEVENT's text (alarms removed), in file order.</param>
/// <param name="Dropped">Components left out, by name, with how many.</param>
internal sealed record IcsDocument(string Header, List<string> Events, IReadOnlyDictionary<string, int> Dropped);
