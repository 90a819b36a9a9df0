using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Email;
using ExecutionTrap.Reports.Rendering;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ExecutionTrap.Cli.Commands;

/// <summary>
/// `etrap bench reports`: what a Monday morning costs — N weekly reports built from scored weeks, rendered
/// (text, HTML and the trend chart PNG) and composed into the MIME message, written to nowhere instead of a relay.
/// </summary>
internal static class BenchReportsCommand
{
    private const int Variants = 64;

    private static readonly string[] Titles =
    [
        "Weekly status – Project Atlas", "Sev1 bridge: payments outage", "Escalation: Acme renewal", "Q3 strategy review",
        "1:1 Ana / Ben", "Platform steering committee", "Hiring debrief", "Release go/no-go",
    ];

    private static readonly Category[] TitleCategories =
    [
        Category.Execution, Category.Firefighting, Category.Escalation, Category.Strategy,
        Category.PeopleDevelopment, Category.Execution, Category.PeopleDevelopment, Category.Execution,
    ];

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ["--count", "--threads"], []);
        var count = arguments.Int("--count", 1, 10_000_000) ?? 10_000;
        var threads = arguments.Int("--threads", 1, 256) ?? Environment.ProcessorCount;

        using var host = CliHost.Build();
        var renderer = host.Services.GetRequiredService<WeeklyReportRenderer>();
        var composer = host.Services.GetRequiredService<ReportEmailComposer>();
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];
        var inputs = Enumerable.Range(0, Variants).Select(v => Generate(v, zone)).ToArray();

        // One untimed report first: font loading and the first Skia surface are start-up cost, not per report.
        Render(renderer, composer, inputs[0], 0);

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var bytes = 0L;
        var charts = 0;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, (i, _) =>
        {
            var (size, hasChart) = Render(renderer, composer, inputs[i % Variants], i);
            Interlocked.Add(ref bytes, size);
            if (hasChart)
            {
                Interlocked.Increment(ref charts);
            }

            return ValueTask.CompletedTask;
        });
        var seconds = watch.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // CPU time as well as wall time: on a shared machine the wall clock also measures the neighbours.
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"reports: {count} rendered and composed ({charts} with the chart) in {seconds:0.00} s = {count / seconds:#,0.0} reports/s on {threads} threads\n");
        text.Append(CultureInfo.InvariantCulture, $"cpu: {cpuSeconds:0.00} s = {cpuSeconds * 1000 / count:0.00} ms per report = {count / cpuSeconds:#,0.0} reports per CPU-second\n");
        text.Append(CultureInfo.InvariantCulture, $"per report: {bytes / (double)count / 1024:0.0} KiB of email, {allocated / (double)count / 1024:0} KiB allocated\n");
        text.Append(CultureInfo.InvariantCulture, $"memory: peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB, managed heap now {GC.GetTotalMemory(forceFullCollection: false) / 1048576.0:0} MiB\n");
        text.Append(CultureInfo.InvariantCulture, $"({Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC})\n");
        await console.Out.WriteAsync(text.ToString());
        return ExitCodes.Success;
    }

    private static (long Bytes, bool HasChart) Render(WeeklyReportRenderer renderer, ReportEmailComposer composer, Input input, int index)
    {
        var leader = new ReportLeader(Guid.CreateVersion7(), $"Leader {index}", "Head of Platform", input.Target);
        var report = WeeklyReportBuilder.Build(leader, input.Week, input.History, input.Forecast);
        var rendered = renderer.Render(report);
        var message = composer.Compose(report, rendered, $"leader{index}@example.com");
        using var counter = new CountingStream();
        message.WriteTo(counter);
        return (counter.Length, rendered.TrendChartPng is not null);
    }

    private sealed record Input(WeekScore Week, IReadOnlyList<WeekScore> History, WeekScore Forecast, RoleTarget Target);

    // A leader-like week: 25–40 meetings, recurring ones among them, scores that move from week to week.
    private static Input Generate(int variant, DateTimeZone zone)
    {
        var random = new Random(variant);
        var week = new IsoWeek(2026, 47);
        var weeks = new List<WeekScore>();
        for (var back = WeeklyReportBuilder.TrendWeeks; back >= -1; back--)
        {
            var w = week;
            for (var i = 0; i < Math.Abs(back); i++)
            {
                w = back > 0 ? w.Previous : w.Next;
            }

            var meetings = Enumerable.Range(0, random.Next(25, 40)).Select(m =>
            {
                var t = random.Next(Titles.Length);
                var start = w.Monday.PlusDays(m % 5).At(new LocalTime(8 + (m / 5 % 9), 0)).InZoneLeniently(zone).ToInstant();
                var meeting = new Meeting
                {
                    Provider = CalendarProvider.Ics,
                    ProviderId = $"{variant}-{w}-{m}",
                    Title = $"{Titles[t]} {m % 7}",
                    Start = start,
                    End = start + Duration.FromMinutes(30 * random.Next(1, 4)),
                    AttendeeCount = random.Next(2, 12),
                    IsRecurring = m % 3 == 0,
                    SeriesId = m % 3 == 0 ? $"series-{t}-{m % 7}" : null,
                };
                return new ClassifiedMeeting(meeting, new MeetingLabel { Category = TitleCategories[t], Confidence = 0.4 + random.NextDouble() * 0.6, DecidedBy = "bench" });
            }).ToList();
            weeks.Add(ExecutionScore.ForWeek(meetings, w, zone));
        }

        return new Input(weeks[^2], weeks.Take(weeks.Count - 2).ToList(), weeks[^1], new RoleTarget(30 + variant % 5 * 10));
    }

    /// <summary>Counts what the message would put on the wire, keeping none of it.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Position;

        public override long Position { get; set; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Position += count;
    }
}
