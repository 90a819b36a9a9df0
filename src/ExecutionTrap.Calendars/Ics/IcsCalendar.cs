using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;
using Duration = NodaTime.Duration;
using NodaTime.Text;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>A parsed, checked ICS calendar: its own time zone, and its events expanded on demand.</summary>
internal sealed class IcsCalendar
{
    // Occurrences are read from a little before the window and up to a little after it, because
    // dates and floating times only become instants once a zone is applied (up to ±14 hours).
    private static readonly Duration Slack = Duration.FromDays(2);

    private static readonly InstantPattern OccurrencePattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    // A rule that matches nothing (BYMONTHDAY=30 in February) would otherwise be walked to year 9999.
    private static readonly EvaluationOptions Evaluation = new() { MaxUnmatchedIncrementsLimit = 100_000 };

    private readonly IReadOnlyList<IcsEvent> _events;

    public IcsCalendar(string source, string? name, DateTimeZone? timeZone, IReadOnlyList<IcsEvent> events)
    {
        Source = source;
        Name = name;
        TimeZone = timeZone;
        _events = events;
    }

    /// <summary>The path or URL the calendar came from.</summary>
    public string Source { get; }

    /// <summary>X-WR-CALNAME, when the exporter gave one.</summary>
    public string? Name { get; }

    /// <summary>The calendar's own zone (X-WR-TIMEZONE, else its only VTIMEZONE); null when it names none.</summary>
    public DateTimeZone? TimeZone { get; }

    /// <summary>VEVENTs in the file, overrides included.</summary>
    public int EventCount => _events.Count;

    /// <summary>
    /// Every meeting that overlaps the window (a zero-length one: that starts in it), recurrences
    /// expanded, EXDATEs and cancelled overrides removed, overrides in place of the occurrences they
    /// replace; ordered by start.
    /// </summary>
    /// <param name="window">A bounded interval.</param>
    /// <param name="ownerEmail">The leader's address, to find their own answer and whether they organise.</param>
    /// <exception cref="CalendarSourceException">An event's recurrence could not be expanded (Kind BadData).</exception>
    public IReadOnlyList<Meeting> Expand(Interval window, string? ownerEmail = null)
    {
        if (!window.HasStart || !window.HasEnd)
        {
            throw new ArgumentException("The window must have a start and an end.", nameof(window));
        }

        var zone = TimeZone ?? DateTimeZone.Utc;
        var meetings = new List<Meeting>();
        foreach (var series in _events.GroupBy(e => e.Uid, StringComparer.Ordinal))
        {
            var masters = series.Where(e => !e.IsOverride).ToList();
            var overrides = series.Where(e => e.IsOverride).ToList();
            var master = masters.FirstOrDefault(m => m.HasRecurrence) ?? masters.FirstOrDefault();
            var replaced = overrides.Select(o => OriginalStart(o, master, zone)).ToHashSet();
            var isSeries = master?.HasRecurrence == true || overrides.Count > 0;

            foreach (var m in masters)
            {
                foreach (var (start, at) in Occurrences(m, window, zone))
                {
                    if (replaced.Contains(at))
                    {
                        continue;
                    }

                    var end = m.EndOf(start, zone);
                    if (Overlaps(at, end, window))
                    {
                        var id = isSeries ? OccurrenceId(m.Uid, at) : m.Uid;
                        meetings.Add(m.ToMeeting(id, at, end, isSeries, ownerEmail));
                    }
                }
            }

            // A cancelled override removes its occurrence; the others stand where they were moved to.
            foreach (var o in overrides.Where(o => !o.IsCancelled))
            {
                var at = IcsTime.ToInstant(o.Start, zone);
                var end = o.EndOf(o.Start, zone);
                if (Overlaps(at, end, window))
                {
                    meetings.Add(o.ToMeeting(OccurrenceId(o.Uid, OriginalStart(o, master, zone)), at, end, isRecurring: true, ownerEmail));
                }
            }
        }

        return Unique(meetings.OrderBy(m => m.Start).ThenBy(m => m.ProviderId, StringComparer.Ordinal));
    }

    private IEnumerable<(CalDateTime Start, Instant At)> Occurrences(IcsEvent e, Interval window, DateTimeZone zone)
    {
        if (!e.HasRecurrence)
        {
            yield return (e.Start, IcsTime.ToInstant(e.Start, zone));
            yield break;
        }

        var from = (window.Start - e.MaxLength - Slack).ToDateTimeUtc();
        var stop = window.End + Slack;
        using var occurrences = e.Component.GetOccurrences(new CalDateTime(from, CalDateTime.UtcTzId, true), Evaluation).GetEnumerator();
        while (true)
        {
            CalDateTime start;
            try
            {
                if (!occurrences.MoveNext())
                {
                    yield break;
                }

                start = occurrences.Current.Period.StartTime;
            }
            catch (EvaluationException)
            {
                // The rule runs out of matches or past year 9999: there are no further occurrences.
                yield break;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                throw new CalendarSourceException(
                    CalendarErrorKind.BadData, $"{Source}: the recurrence of {e.Describe()} cannot be expanded: {ex.Message}", ex);
            }

            var at = IcsTime.ToInstant(start, zone);
            if (at >= stop)
            {
                yield break;
            }

            yield return (start, at);
        }
    }

    // The instant of the occurrence an override replaces. Exchange writes a date-time RECURRENCE-ID
    // for an all-day series; the occurrence it means is the one on that date.
    private static Instant OriginalStart(IcsEvent @override, IcsEvent? master, DateTimeZone zone)
    {
        var id = @override.RecurrenceId!;
        if (master is { IsDateOnly: true } && id.HasTime)
        {
            id = new CalDateTime(id.Date);
        }

        return IcsTime.ToInstant(id, zone);
    }

    private static bool Overlaps(Instant start, Instant end, Interval window) =>
        start < window.End && (end > window.Start || (end == start && start >= window.Start));

    private static string OccurrenceId(string uid, Instant originalStart) => $"{uid}/{OccurrencePattern.Format(originalStart)}";

    // Two VEVENTs that share a UID without being master and override would collide; the later ones
    // get a numbered id so that none is lost.
    private static List<Meeting> Unique(IEnumerable<Meeting> meetings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<Meeting>();
        foreach (var meeting in meetings)
        {
            var id = meeting.ProviderId;
            for (var n = 2; !seen.Add(id); n++)
            {
                id = $"{meeting.ProviderId}#{n}";
            }

            result.Add(id == meeting.ProviderId ? meeting : meeting with { ProviderId = id });
        }

        return result;
    }
}
