using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Finds the leaders whose report time (their own day and hour, in their own zone) has come this
/// week and whose report for last week was not sent yet, and enqueues their reports in batches of
/// Jobs:ReportBatchSize leaders (<see cref="SendWeeklyReportBatchJob"/>).
/// </summary>
internal sealed partial class SendDueReportsJob(
    ExecutionTrapDbContext db,
    IBackgroundJobClient jobs,
    IDateTimeZoneProvider zones,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<SendDueReportsJob> logger)
{
    public const string Id = "send-due-reports";

    [Queue("reports")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var leaders = await db.Leaders.AsNoTracking()
            .Where(l => l.ReportsEnabled && l.EmailBouncedAt == null)
            .Select(l => new { l.Id, l.TimeZone, l.ReportDay, l.ReportHour })
            .ToListAsync(cancellationToken);

        var due = leaders
            .Select(l => (l.Id, Week: DueWeek(now, zones.GetZoneOrNull(l.TimeZone) ?? DateTimeZone.Utc, l.ReportDay, l.ReportHour)))
            .Where(d => d.Week is not null)
            .Select(d => (LeaderId: d.Id, Week: d.Week!.Value.ToString()))
            .ToList();

        // Any delivery row means the week is handled: sent, skipped, being sent, or released to a Hangfire retry
        // that owns it; enqueuing beside that retry would only multiply attempts. A resend is an admin action.
        var dueWeeks = due.Select(d => d.Week).Distinct().ToList();
        var handled = (await db.ReportDeliveries.AsNoTracking()
                .Where(d => dueWeeks.Contains(d.Week))
                .Select(d => new { d.LeaderId, d.Week })
                .ToListAsync(cancellationToken))
            .Select(d => (d.LeaderId, d.Week))
            .ToHashSet();

        var enqueued = 0;
        foreach (var byWeek in due.Where(d => !handled.Contains(d)).GroupBy(d => d.Week))
        {
            var week = byWeek.Key;
            foreach (var batch in byWeek.Select(d => d.LeaderId).Chunk(options.Value.ReportBatchSize))
            {
                jobs.Enqueue<SendWeeklyReportBatchJob>(job => job.RunAsync(batch, week, CancellationToken.None));
                enqueued += batch.Length;
            }
        }

        LogEnqueued(enqueued, leaders.Count);
    }

    /// <summary>
    /// The week whose report is due at <paramref name="now"/> for a leader in <paramref name="zone"/> who gets it on
    /// <paramref name="day"/> at <paramref name="hour"/>:00 local time — the last complete week, from that moment of the
    /// current week on (so a worker that was down catches up later in the week) — or null before it.
    /// A report time that falls in a DST gap moves forward to the first valid instant; one in an overlap takes the earlier.
    /// </summary>
    internal static IsoWeek? DueWeek(Instant now, DateTimeZone zone, IsoDayOfWeek day, int hour)
    {
        var thisWeek = IsoWeek.Containing(now, zone);
        var weekday = day is >= IsoDayOfWeek.Monday and <= IsoDayOfWeek.Sunday ? day : IsoDayOfWeek.Monday;
        var at = thisWeek.Monday
            .PlusDays((int)weekday - 1)
            .At(new LocalTime(Math.Clamp(hour, 0, 23), 0))
            .InZoneLeniently(zone)
            .ToInstant();
        return now >= at ? thisWeek.Previous : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reports due: {Enqueued} of {Leaders} leaders")]
    private partial void LogEnqueued(int enqueued, int leaders);
}
