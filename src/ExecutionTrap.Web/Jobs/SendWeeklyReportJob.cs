using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Weeks;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using NodaTime;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Sends one leader's report for one week, at most once: the (leader, week) delivery row is
/// claimed before anything is sent, so a retry, a restart or a second worker finds it and stops.
/// </summary>
internal sealed partial class SendWeeklyReportJob(
    ExecutionTrapDbContext db,
    LeaderWeeks weeks,
    LeaderReports reports,
    WeeklyReportSender sender,
    TimeProvider time,
    ILogger<SendWeeklyReportJob> logger)
{
    public const string Id = "send-weekly-report";

    /// <summary>The claimant of a claim given back after a failure that happened before the mail server took the message.</summary>
    internal const string Released = "";

    /// <summary>A claim older than this whose worker never reached the mail server may be taken over.</summary>
    internal static readonly Duration StaleClaim = Duration.FromMinutes(15);

    // One id per run, not per process: two runs in one process must not take each other's claim for their own.
    private readonly string _claimId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    [Queue("email")]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [30, 60, 120, 300, 600, 1200, 1800, 3600])]
    public async Task RunAsync(Guid leaderId, string week, CancellationToken cancellationToken)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            // A bad argument stays bad: failing would only retry it eight times.
            LogBadWeek(leaderId, week);
            return;
        }

        if (await weeks.LoadLeaderAsync(leaderId, cancellationToken) is { } context)
        {
            await SendAsync(context, isoWeek, scores: null, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the report of a leader already loaded; <paramref name="scores"/> are the report's weeks when a batch
    /// scored them (<see cref="LeaderReports.WeeksOf"/>), or null to score them here.
    /// </summary>
    internal async Task SendAsync(LeaderContext context, IsoWeek isoWeek, IReadOnlyList<WeekScore>? scores, CancellationToken cancellationToken)
    {
        var leaderId = context.Leader.Id;
        if (!context.Leader.ReportsEnabled || context.Leader.EmailBouncedAt is not null)
        {
            return;
        }

        var delivery = await ClaimAsync(leaderId, isoWeek.ToString(), cancellationToken);
        if (delivery is null)
        {
            LogAlreadyHandled(leaderId, isoWeek);
            return;
        }

        await SendClaimedAsync(context, isoWeek, scores, delivery, cancellationToken);
    }

    /// <summary>
    /// Builds and sends the report of a delivery this run claimed. Apart from <see cref="SendAsync"/> so that a test can hold
    /// one claimant between its claim and its send, as a slow report build or a paused process would.
    /// </summary>
    internal async Task SendClaimedAsync(LeaderContext context, IsoWeek isoWeek, IReadOnlyList<WeekScore>? scores, ReportDelivery delivery, CancellationToken cancellationToken)
    {
        var leaderId = context.Leader.Id;
        MimeMessage message;
        try
        {
            var report = scores is null ? await reports.BuildAsync(context, isoWeek, cancellationToken) : reports.Build(context, scores);
            if (report.IsQuiet && !context.Leader.SendQuietWeekNote)
            {
                await FinishAsync(delivery, DeliveryStatus.Skipped, null, cancellationToken);
                LogQuietWeekSkipped(leaderId, isoWeek);
                return;
            }

            // From here on the mail server may have the message: a crash leaves the claim "sending",
            // which is never taken over automatically; a resend is an explicit admin action.
            // Fenced: the move to "sending" is one conditional UPDATE that succeeds only while this run still holds
            // the claim. A run that was slower than StaleClaim may have lost it to another worker, which is sending
            // now; it must not send a second copy. The takeover also needs "claimed", so exactly one of the two wins.
            var stillOurs = await db.ReportDeliveries
                .Where(d => d.Id == delivery.Id && d.ClaimedBy == _claimId && d.Status == DeliveryStatus.Claimed)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending), cancellationToken);
            if (stillOurs == 0)
            {
                LogClaimLost(leaderId, isoWeek);
                return;
            }

            message = await sender.SendAsync(report, context.Leader.Email, cancellationToken);
        }
        catch (MailboxRejectedException)
        {
            // A 5xx bounce is final: mark the address, close the week and end the job normally, so nothing retries it.
            await db.Leaders.Where(l => l.Id == leaderId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EmailBouncedAt, Now()), CancellationToken.None);
            await FinishAsync(delivery, DeliveryStatus.Skipped, null, CancellationToken.None);
            LogBounced(leaderId);
            return;
        }
        catch (Exception)
        {
            // The mailer threw or the run was stopped before the server accepted the message: give the claim
            // back so that the retry can send. The rare send whose acceptance was lost in transit is resent once.
            await ReleaseAsync(delivery);
            throw;
        }

        // Recording the success is outside the try: if it fails, the row stays "sending" and nothing resends it.
        await FinishAsync(delivery, DeliveryStatus.Sent, message.MessageId, CancellationToken.None);
    }

    internal async Task<ReportDelivery?> ClaimAsync(Guid leaderId, string week, CancellationToken cancellationToken)
    {
        var now = Now();

        // Look first: a retry or a late duplicate then never sends the database an insert it must refuse (which EF
        // logs as an error). Only two runs that look at the same moment race on the insert; the unique index decides.
        if (!await db.ReportDeliveries.AnyAsync(d => d.LeaderId == leaderId && d.Week == week, cancellationToken))
        {
            var delivery = new ReportDelivery { LeaderId = leaderId, Week = week, Status = DeliveryStatus.Claimed, ClaimedBy = _claimId, ClaimedAt = now, Attempts = 1 };
            db.ReportDeliveries.Add(delivery);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return delivery;
            }
            catch (DbUpdateException)
            {
                db.Entry(delivery).State = EntityState.Detached;
            }
        }

        // Someone holds (leader, week) already: take it over only if it was released or went stale before reaching the mail server.
        var stale = now - StaleClaim;
        var taken = await db.ReportDeliveries
            .Where(d => d.LeaderId == leaderId && d.Week == week && d.Status == DeliveryStatus.Claimed && (d.ClaimedBy == Released || d.ClaimedAt < stale))
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.ClaimedBy, _claimId).SetProperty(d => d.ClaimedAt, now).SetProperty(d => d.Attempts, d => d.Attempts + 1),
                cancellationToken);
        return taken == 1
            ? await db.ReportDeliveries.SingleAsync(d => d.LeaderId == leaderId && d.Week == week, cancellationToken)
            : null;
    }

    private async Task FinishAsync(ReportDelivery delivery, DeliveryStatus status, string? messageId, CancellationToken cancellationToken)
    {
        delivery.Status = status;
        delivery.MessageId = messageId;
        delivery.SentAt = status == DeliveryStatus.Sent ? Now() : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    // Kept, not deleted: the attempt count survives, and the due-report round does not enqueue a second job beside the retry.
    private Task<int> ReleaseAsync(ReportDelivery delivery) =>
        db.ReportDeliveries
            .Where(d => d.Id == delivery.Id && d.ClaimedBy == _claimId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Claimed).SetProperty(d => d.ClaimedBy, Released), CancellationToken.None);

    private Instant Now() => Instant.FromDateTimeOffset(time.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of leader {LeaderId} for {Week} was already sent or is being sent")]
    private partial void LogAlreadyHandled(Guid leaderId, IsoWeek week);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report of leader {LeaderId} for {Week} was taken over by another worker while this one built it; not sent twice")]
    private partial void LogClaimLost(Guid leaderId, IsoWeek week);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing was scored for leader {LeaderId} in {Week} and they asked for no quiet-week note")]
    private partial void LogQuietWeekSkipped(Guid leaderId, IsoWeek week);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mail server refused the address of leader {LeaderId}; reports paused until it changes")]
    private partial void LogBounced(Guid leaderId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report job for leader {LeaderId} has a week that is not an ISO week: {Week}")]
    private partial void LogBadWeek(Guid leaderId, string week);
}
