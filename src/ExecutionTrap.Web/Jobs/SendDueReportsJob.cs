using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Finds the leaders whose report time (their own day and hour, in their own zone) has come this
/// week and whose report for last week was not sent yet, and enqueues one report job for each.
/// </summary>
internal sealed partial class SendDueReportsJob(
    ExecutionTrapDbContext db,
    IBackgroundJobClient jobs,
    IDateTimeZoneProvider zones,
    TimeProvider time,
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

        // Every zone's "last week" is one of two ISO weeks around now: fetch their deliveries at once.
        var candidateWeeks = new[] { IsoWeek.Containing(now, DateTimeZone.Utc).Previous, IsoWeek.Containing(now, DateTimeZone.Utc), IsoWeek.Containing(now, DateTimeZone.Utc).Previous.Previous }
            .Select(w => w.ToString()).ToList();
        var delivered = (await db.ReportDeliveries.AsNoTracking()
                .Where(d => candidateWeeks.Contains(d.Week))
                .Select(d => new { d.LeaderId, d.Week })
                .ToListAsync(cancellationToken))
            .Select(d => (d.LeaderId, d.Week))
            .ToHashSet();

        var enqueued = 0;
        foreach (var leader in leaders)
        {
            var zone = zones.GetZoneOrNull(leader.TimeZone) ?? DateTimeZone.Utc;
            var thisWeek = IsoWeek.Containing(now, zone);
            var due = thisWeek.Monday.PlusDays((int)leader.ReportDay - 1).At(new LocalTime(leader.ReportHour, 0)).InZoneLeniently(zone).ToInstant();
            var reportWeek = thisWeek.Previous.ToString();
            if (now < due || delivered.Contains((leader.Id, reportWeek)))
            {
                continue;
            }

            var leaderId = leader.Id;
            jobs.Enqueue<SendWeeklyReportJob>(job => job.RunAsync(leaderId, reportWeek, CancellationToken.None));
            enqueued++;
        }

        LogEnqueued(enqueued, leaders.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reports due: {Enqueued} of {Leaders} leaders")]
    private partial void LogEnqueued(int enqueued, int leaders);
}
