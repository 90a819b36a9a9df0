using System.Globalization;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Ical.Net;
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

    /// <summary>VEVENTs in the file, overrides included, skipped ones not.</summary>
    public int EventCount => _events.Count;

    /// <summary>Events left out because they recur more often than once a minute (FREQ=SECONDLY).</summary>
    public int SubMinuteEventsSkipped { get; init; }

    /// <summary>
    /// Every meeting that overlaps the window (a zero-length one: that starts in it), recurrences
    /// expanded, EXDATEs removed, overrides in place of the occurrences they replace (a cancelled
    /// one listed as cancelled); ordered by start. Bounded by <see cref="IcsLimits.Default"/>.
    /// </summary>
    /// <param name="window">A bounded interval.</param>
    /// <param name="ownerEmail">The leader's address, to find their own answer and whether they organise.</param>
    /// <exception cref="CalendarSourceException">An event's recurrence could not be expanded (Kind BadData).</exception>
    public IReadOnlyList<Meeting> Expand(Interval window, string? ownerEmail = null) => Expand(window, ownerEmail, IcsLimits.Default).Meetings;

    /// <summary>
    /// As <see cref="Expand(Interval, string?)"/>, within <paramref name="limits"/>: one series
    /// yields at most <see cref="IcsLimits.MaxOccurrencesPerEvent"/> occurrences and the window at
    /// most <see cref="IcsLimits.MaxOccurrencesPerWindow"/> meetings. Expansion is lazy and stops
    /// at the window's end or the cap, whichever comes first, so a recurrence bomb costs no more
    /// than the cap. What was cut, and the events skipped by the parser, are on the result.
    /// </summary>
    /// <exception cref="CalendarSourceException">An event's recurrence could not be expanded (Kind BadData).</exception>
    public IcsExpansion Expand(Interval window, string? ownerEmail, IcsLimits limits)
    {
        if (!window.HasStart || !window.HasEnd)
        {
            throw new ArgumentException("The window must have a start and an end.", nameof(window));
        }

        var zone = TimeZone ?? DateTimeZone.Utc;
        var meetings = new List<Meeting>();
        var cappedEvents = 0;
        var windowCapped = false;
        // Slow series first: when the window's cap is reached, it is the minutely ones that are cut,
        // never the weekly meeting that happens to come after them in the file.
        foreach (var series in _events.GroupBy(e => e.Uid, StringComparer.Ordinal).OrderBy(s => s.Min(Pace)))
        {
            var masters = Newest(series.Where(e => !e.IsOverride).ToList());
            var overrides = series.Where(e => e.IsOverride).ToList();
            var master = masters.FirstOrDefault(m => m.HasRecurrence) ?? masters.FirstOrDefault();
            var replaced = overrides.Select(o => OriginalStart(o, master, zone)).ToHashSet();
            var isSeries = master?.HasRecurrence == true || overrides.Count > 0;

            foreach (var m in masters)
            {
                var yielded = 0;
                foreach (var (start, at) in Occurrences(m, window, zone))
                {
                    if (yielded == limits.MaxOccurrencesPerEvent)
                    {
                        cappedEvents++;
                        break;
                    }

                    yielded++;
                    if (replaced.Contains(at))
                    {
                        continue;
                    }

                    var end = m.EndOf(start, zone);
                    if (Overlaps(at, end, window))
                    {
                        if (meetings.Count == limits.MaxOccurrencesPerWindow)
                        {
                            windowCapped = true;
                            break;
                        }

                        var id = isSeries ? OccurrenceId(m.Uid, at) : m.Uid;
                        meetings.Add(m.ToMeeting(id, at, end, isSeries, ownerEmail));
                    }
                }
            }

            // Overrides stand where they were moved to; a cancelled one is listed as cancelled in
            // place of the occurrence it removes, so the leader sees why it is not counted.
            foreach (var o in overrides)
            {
                var at = IcsTime.ToInstant(o.Start, zone);
                var end = o.EndOf(o.Start, zone);
                if (Overlaps(at, end, window))
                {
                    if (meetings.Count == limits.MaxOccurrencesPerWindow)
                    {
                        windowCapped = true;
                        break;
                    }

                    meetings.Add(o.ToMeeting(OccurrenceId(o.Uid, OriginalStart(o, master, zone)), at, end, isRecurring: true, ownerEmail));
                }
            }

            if (windowCapped)
            {
                break;
            }
        }

        var result = Unique(meetings.OrderBy(m => m.Start).ThenBy(m => m.ProviderId, StringComparer.Ordinal));
        return new IcsExpansion(result, SubMinuteEventsSkipped, cappedEvents, windowCapped ? limits.MaxOccurrencesPerWindow : null, limits);
    }

    private IEnumerable<(CalDateTime Start, Instant At)> Occurrences(IcsEvent e, Interval window, DateTimeZone zone)
    {
        if (!e.HasRecurrence)
        {
            yield return (e.Start, IcsTime.ToInstant(e.Start, zone));
            yield break;
        }

        var fromInstant = window.Start - e.MaxLength - Slack;
        var from = fromInstant.ToDateTimeUtc();
        var stop = window.End + Slack;
        var component = e.Component!;
        var (originalStart, originalEnd, originalCount) = (component.DtStart, component.DtEnd, component.RecurrenceRule?.Count);
        IEnumerator<Occurrence>? occurrences = null;
        var rebased = false;
        try
        {
            foreach (var day in e.AddedDays)
            {
                var added = new CalDateTime(day, TimeOnly.FromDateTime(e.Start.Value), e.Start.IsUtc ? CalDateTime.UtcTzId : e.Start.TzId);
                var addedAt = IcsTime.ToInstant(added, zone);
                if (addedAt >= fromInstant && addedAt < stop)
                {
                    yield return (added, addedAt);
                }
            }

            rebased = Rebase(e, fromInstant, zone);
            occurrences = component.GetOccurrences(new CalDateTime(from, CalDateTime.UtcTzId, true), Evaluation).GetEnumerator();
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
        finally
        {
            occurrences?.Dispose();

            // The component is shared: the next expansion, of any window, starts from the file's values.
            if (rebased)
            {
                component.DtStart = originalStart;
                if (originalEnd is not null)
                {
                    component.DtEnd = originalEnd;
                }

                component.RecurrenceRule!.Count = originalCount;
            }
        }
    }

    // Ical.Net walks a rule from DTSTART even when asked for a later window, so a FREQ=MINUTELY series
    // that began years ago costs millions of steps before the first one wanted. A minutely or hourly
    // series repeats itself every whole number of days that is also a multiple of its interval, so
    // its DTSTART (and DTEND, and a COUNT) can be moved to just before the window without changing
    // any occurrence in it. Daily and slower rules take at most a few thousand steps a decade.
    private static bool Rebase(IcsEvent e, Instant from, DateTimeZone zone)
    {
        var component = e.Component!;
        if (component.RecurrenceRule is not { Frequency: FrequencyType.Minutely or FrequencyType.Hourly } rule
            || !e.Start.HasTime
            || component.DtStart is null)
        {
            return false;
        }

        var interval = Math.Max(1, rule.Interval);
        var unitMinutes = rule.Frequency == FrequencyType.Minutely ? 1L : 60L;
        var dayUnits = 1440L / unitMinutes;
        var periodUnits = interval / Gcd(interval, dayUnits) * dayUnits;
        var periodMinutes = periodUnits * unitMinutes;
        var behind = (from - IcsTime.ToInstant(e.Start, zone)).TotalMinutes;
        var periods = (long)Math.Floor(behind / periodMinutes) - 1;
        if (periods <= 0)
        {
            return false;
        }

        if (rule.Count is { } count)
        {
            var hasFilters = rule.BySecond.Count + rule.ByMinute.Count + rule.ByHour.Count + rule.ByDay.Count + rule.ByMonthDay.Count
                + rule.ByYearDay.Count + rule.ByWeekNo.Count + rule.ByMonth.Count + rule.BySetPosition.Count > 0;
            if (hasFilters)
            {
                // Which steps a filter keeps before the window is not known without walking them.
                return false;
            }

            // Every step is an occurrence: moving on by whole periods uses up that many of the COUNT.
            var perPeriod = periodUnits / interval;
            periods = Math.Min(periods, (count - 1) / perPeriod);
            if (periods <= 0)
            {
                return false;
            }

            rule.Count = (int)(count - (periods * perPeriod));
        }

        var shift = NodaTime.Period.FromMinutes(periods * periodMinutes);
        component.DtStart = Shift(component.DtStart, shift);
        if (component.DtEnd is { } end)
        {
            component.DtEnd = Shift(end, shift);
        }

        return true;
    }

    private static CalDateTime Shift(CalDateTime value, NodaTime.Period shift)
    {
        var local = LocalDateTime.FromDateTime(value.Value) + shift;
        return new CalDateTime(local.ToDateTimeUnspecified(), value.IsUtc ? CalDateTime.UtcTzId : value.TzId, value.HasTime);
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    // How often an event recurs, slowest first: single events and overrides, then yearly to minutely.
    private static int Pace(IcsEvent e) => e.Component?.RecurrenceRule?.Frequency switch
    {
        null => 0,
        FrequencyType.Yearly => 1,
        FrequencyType.Monthly => 2,
        FrequencyType.Weekly => 3,
        FrequencyType.Daily => 4,
        FrequencyType.Hourly => 5,
        _ => 6,
    };

    // Two versions of one event in a file (a client that appended the edited event instead of
    // replacing it): the higher SEQUENCE is the newer revision and supersedes the older
    // (RFC 5545 3.8.7.4). Copies with the same SEQUENCE are different events that share a UID and
    // are all kept.
    private static List<IcsEvent> Newest(List<IcsEvent> masters)
    {
        if (masters.Count < 2)
        {
            return masters;
        }

        var newest = masters.Max(m => m.Sequence);
        return masters.All(m => m.Sequence == newest) ? masters : masters.Where(m => m.Sequence == newest).ToList();
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
        // The next number to try per id, so that thousands of copies of one UID stay linear.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Meeting>();
        foreach (var meeting in meetings)
        {
            var id = meeting.ProviderId;
            if (!seen.Add(id))
            {
                var n = next.GetValueOrDefault(meeting.ProviderId, 2);
                do
                {
                    id = $"{meeting.ProviderId}#{n++}";
                }
                while (!seen.Add(id));
                next[meeting.ProviderId] = n;
            }

            result.Add(id == meeting.ProviderId ? meeting : meeting with { ProviderId = id });
        }

        return result;
    }
}

/// <summary>The meetings of one bounded expansion, and what was left out to keep it bounded.</summary>
/// <param name="Meetings">Ordered by start.</param>
/// <param name="SubMinuteEventsSkipped">Events recurring more often than once a minute, left out whole.</param>
/// <param name="CappedEvents">Series cut at the per-event cap.</param>
/// <param name="WindowCap">The per-window cap, when the read stopped at it; else null.</param>
/// <param name="Limits">The limits the expansion ran under.</param>
internal sealed record IcsExpansion(
    IReadOnlyList<Meeting> Meetings, int SubMinuteEventsSkipped, int CappedEvents, int? WindowCap, IcsLimits Limits)
{
    public bool IsCapped => SubMinuteEventsSkipped > 0 || CappedEvents > 0 || WindowCap is not null;

    /// <summary>One sentence for the leader and the operator; null when nothing was left out.</summary>
    public string? Warning
    {
        get
        {
            if (!IsCapped)
            {
                return null;
            }

            var parts = new List<string>();
            if (SubMinuteEventsSkipped > 0)
            {
                parts.Add($"{Count(SubMinuteEventsSkipped, "event")} recurring more often than once a minute skipped");
            }

            if (CappedEvents > 0)
            {
                parts.Add($"{Count(CappedEvents, "recurring event")} cut at {Limits.MaxOccurrencesPerEvent.ToString("N0", CultureInfo.InvariantCulture)} occurrences");
            }

            if (WindowCap is { } cap)
            {
                parts.Add($"the read stopped at {cap.ToString("N0", CultureInfo.InvariantCulture)} meetings");
            }

            return $"calendar capped: {string.Join("; ", parts)}.";
        }
    }

    private static string Count(int n, string noun) =>
        n == 1 ? $"1 {noun}" : $"{n.ToString("N0", CultureInfo.InvariantCulture)} {noun}s";
}
