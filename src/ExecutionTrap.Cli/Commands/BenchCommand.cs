using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Classification.Features;
using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Scoring;
using NodaTime;

namespace ExecutionTrap.Cli.Commands;

/// <summary>
/// `etrap bench`: the throughput figures the README quotes — ICS parse and expand, classification,
/// week scoring — measured in this process on generated input, best of several runs.
/// </summary>
internal static class BenchCommand
{
    private const int SeriesLength = 50;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ["--events", "--titles", "--runs"], []);
        var events = arguments.Int("--events", 100, 1_000_000) ?? 20_000;
        var titleCount = arguments.Int("--titles", 1_000, 10_000_000) ?? 100_000;
        var runs = arguments.Int("--runs", 1, 50) ?? 3;

        var ics = GenerateIcs(events);
        var window = new Interval(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0));
        var expanded = 0;
        var vevents = 0;
        var icsSeconds = Best(runs, () =>
        {
            var calendar = IcsCalendarParser.Parse(ics, "bench.ics");
            vevents = calendar.EventCount;
            expanded = calendar.Expand(window).Count;
        });

        var loadWatch = Stopwatch.StartNew();
        using var handle = CliHost.LoadClassifier(null);
        var loadSeconds = loadWatch.Elapsed.TotalSeconds;

        var examples = BuiltInTrainingData.Load();
        var titles = Enumerable.Range(0, titleCount).Select(i => (examples[i % examples.Count].Title, MeetingSignals.Unknown)).ToList();
        handle.Classifier.ClassifyTitles(titles.Take(1000).ToList());
        var classifySeconds = Best(runs, () => handle.Classifier.ClassifyTitles(titles));
        var freshSeconds = Best(runs, () =>
        {
            foreach (var (title, signals) in titles)
            {
                handle.Classifier.ClassifyTitleAfresh(title, signals);
            }
        });

        // The full feature set a synced meeting brings: signals, provider categories, a description preview, the start hour.
        string[] categories = ["Customer", "Project", "Internal", "Hiring"];
        var full = Enumerable.Range(0, titleCount).Select(i => (examples[i % examples.Count].Title, new MeetingSignals(
            Attendees: 2 + (i % 9), Minutes: 30 + (15 * (i % 4)), Recurring: i % 3 == 0, Organizer: i % 2 == 0, ExternalAttendees: i % 5 == 0,
            StartHour: 8 + (i % 10), Categories: [categories[i % categories.Length]],
            Description: i % 2 == 0 ? "Agenda: review the open items and agree next steps. Join Microsoft Teams meeting" : null))).ToList();
        handle.Classifier.ClassifyTitles(full.Take(1000).ToList());
        var fullSeconds = Best(runs, () => handle.Classifier.ClassifyTitles(full));

        // The week is scored in the calendar's own zone, as analyze does.
        var calendarForWeek = IcsCalendarParser.Parse(ics, "bench.ics");
        var zone = calendarForWeek.TimeZone ?? DateTimeZone.Utc;
        var week = IsoWeek.Parse("2026-W20");
        var weekMeetings = calendarForWeek.Expand(week.InZone(zone));
        var weekLabels = handle.Classifier.ClassifyMany(weekMeetings);
        var classified = weekMeetings.Zip(weekLabels, (m, l) => new ClassifiedMeeting(m, l)).ToList();
        const int scoringRepeats = 1000;
        var scoreSeconds = Best(runs, () =>
        {
            for (var i = 0; i < scoringRepeats; i++)
            {
                ExecutionScore.ForWeek(classified, week, zone);
            }
        }) / scoringRepeats;

        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"ics parse+expand: {expanded} events ({vevents} VEVENTs, one year) in {icsSeconds * 1000:0.0} ms = {expanded / icsSeconds:#,0} events/s\n");
        report.Append(CultureInfo.InvariantCulture, $"model load: {loadSeconds * 1000:0} ms\n");
        report.Append(CultureInfo.InvariantCulture, $"classification (batch, title only, titles seen before): {titleCount} titles in {classifySeconds * 1000:0} ms = {titleCount / classifySeconds:#,0} titles/s\n");
        report.Append(CultureInfo.InvariantCulture, $"classification (title only, every title new): {titleCount} titles in {freshSeconds * 1000:0} ms = {titleCount / freshSeconds:#,0} titles/s\n");
        report.Append(CultureInfo.InvariantCulture, $"classification (batch, full features): {titleCount} titles in {fullSeconds * 1000:0} ms = {titleCount / fullSeconds:#,0} titles/s\n");
        report.Append(CultureInfo.InvariantCulture, $"week scoring: {classified.Count} meetings in {scoreSeconds * 1_000_000:0.0} µs per week\n");
        report.Append(CultureInfo.InvariantCulture, $"(best of {runs} runs, {Environment.ProcessorCount} cores, .NET {Environment.Version})\n");
        await console.Out.WriteAsync(report.ToString());
        return ExitCodes.Success;
    }

    private static double Best(int runs, Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    // A leader-like calendar in a DST zone: half the occurrences come from weekly series (each with one
    // EXDATE and one moved occurrence, so overrides are matched), half are single events spread over the year.
    private static string GenerateIcs(int events)
    {
        var text = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ExecutionTrap//bench//EN\r\nX-WR-TIMEZONE:Europe/London\r\n");
        var titles = new[] { "Weekly status – Atlas", "1:1 Ana / Ben", "Sev1 bridge", "Q3 strategy review", "Escalation: Acme contract", "Sprint planning" };
        var seriesCount = events / (2 * SeriesLength);
        for (var s = 0; s < seriesCount; s++)
        {
            var first = new LocalDate(2026, 1, 5).PlusDays(s % 5);
            var hour = 8 + (s % 9);
            var uid = $"series-{s}@bench";
            var title = $"{titles[s % titles.Length]} {s}";
            text.Append(CultureInfo.InvariantCulture, $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{title}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"DTSTART;TZID=Europe/London:{first:yyyyMMdd}T{hour:00}0000\r\nDTEND;TZID=Europe/London:{first:yyyyMMdd}T{hour:00}4500\r\n");
            text.Append(CultureInfo.InvariantCulture, $"RRULE:FREQ=WEEKLY;COUNT={SeriesLength}\r\nEXDATE;TZID=Europe/London:{first.PlusWeeks(10):yyyyMMdd}T{hour:00}0000\r\nEND:VEVENT\r\n");
            var moved = first.PlusWeeks(20);
            text.Append(CultureInfo.InvariantCulture, $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{title} (moved)\r\n");
            text.Append(CultureInfo.InvariantCulture, $"RECURRENCE-ID;TZID=Europe/London:{moved:yyyyMMdd}T{hour:00}0000\r\n");
            text.Append(CultureInfo.InvariantCulture, $"DTSTART;TZID=Europe/London:{moved:yyyyMMdd}T{hour + 1:00}0000\r\nDTEND;TZID=Europe/London:{moved:yyyyMMdd}T{hour + 1:00}4500\r\nEND:VEVENT\r\n");
        }

        for (var e = seriesCount * SeriesLength; e < events; e++)
        {
            var day = new LocalDate(2026, 1, 5).PlusDays(e % 300);
            var hour = 8 + (e % 10);
            text.Append(CultureInfo.InvariantCulture, $"BEGIN:VEVENT\r\nUID:single-{e}@bench\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:{titles[e % titles.Length]}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"DTSTART;TZID=Europe/London:{day:yyyyMMdd}T{hour:00}0000\r\nDTEND;TZID=Europe/London:{day:yyyyMMdd}T{hour:00}3000\r\nEND:VEVENT\r\n");
        }

        return text.Append("END:VCALENDAR\r\n").ToString();
    }
}
