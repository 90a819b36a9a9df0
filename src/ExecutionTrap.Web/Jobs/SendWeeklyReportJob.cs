using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Reports;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Weeks;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Sends one leader's report for one week, at most once: the (leader, week) delivery row is
/// claimed before anything is sent, so a retry, a restart or a second worker finds it and stops.
/// </summary>
internal sealed partial class SendWeeklyReportJob(
    ExecutionTrapDbContext db,
    LeaderWeeks weeks,
    WeeklyReportSender sender,
    IOptions<ReportsOptions> reports,
    TimeProvider time,
    ILogger<SendWeeklyReportJob> logger)
{
    public const string Id = "send-weekly-report";

    /// <summary>A claim older than this whose worker never reached the mail server may be taken over.</summary>
    private static readonly Duration StaleClaim = Duration.FromMinutes(15);

    private static readonly string WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    [Queue("email")]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [30, 60, 120, 300, 600, 1200, 1800, 3600])]
    public async Task RunAsync(Guid leaderId, string week, CancellationToken cancellationToken)
    {
        var isoWeek = IsoWeek.Parse(week);
        var context = await weeks.LoadLeaderAsync(leaderId, cancellationToken);
        if (context is null || context.Leader.EmailBouncedAt is not null)
        {
            return;
        }

        var delivery = await ClaimAsync(leaderId, week, cancellationToken);
        if (delivery is null)
        {
            LogAlreadyHandled(leaderId, week);
            return;
        }

        try
        {
            var scores = await weeks.ScoreAsync(leaderId, context.Zone, Back(isoWeek, WeeklyReportBuilder.TrendWeeks), isoWeek.Next, cancellationToken);
            var thisWeek = scores[^2];
            if (thisWeek.ScoredMinutes == 0 && !context.Leader.SendQuietWeekNote)
            {
                await FinishAsync(delivery, DeliveryStatus.Skipped, null, cancellationToken);
                return;
            }

            var leader = new ReportLeader(leaderId, context.Leader.DisplayName, context.RoleName, context.Target);
            var report = WeeklyReportBuilder.Build(leader, thisWeek, scores.Take(scores.Count - 2), scores[^1], reports.Value.UncertainBelow);

            // From here on the mail server may have the message: a crash leaves the claim "sending",
            // which is never taken over automatically; a resend is an explicit admin action.
            delivery.Status = DeliveryStatus.Sending;
            await db.SaveChangesAsync(cancellationToken);
            var message = await sender.SendAsync(report, context.Leader.Email, cancellationToken);
            await FinishAsync(delivery, DeliveryStatus.Sent, message.MessageId, CancellationToken.None);
        }
        catch (MailboxRejectedException)
        {
            await db.Leaders.Where(l => l.Id == leaderId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.EmailBouncedAt, Now()), CancellationToken.None);
            await FinishAsync(delivery, DeliveryStatus.Skipped, null, CancellationToken.None);
            LogBounced(leaderId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing reached the mail server: give the claim back so the retry can send.
            await ReleaseAsync(delivery);
            throw;
        }
        catch (OperationCanceledException)
        {
            await ReleaseAsync(delivery);
            throw;
        }
    }

    private static IsoWeek Back(IsoWeek week, int count)
    {
        for (var i = 0; i < count; i++)
        {
            week = week.Previous;
        }

        return week;
    }

    private async Task<ReportDelivery?> ClaimAsync(Guid leaderId, string week, CancellationToken cancellationToken)
    {
        var now = Now();
        var delivery = new ReportDelivery { LeaderId = leaderId, Week = week, Status = DeliveryStatus.Claimed, ClaimedBy = WorkerId, ClaimedAt = now, Attempts = 1 };
        db.ReportDeliveries.Add(delivery);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return delivery;
        }
        catch (DbUpdateException)
        {
            // Someone holds (leader, week) already: take it over only if it is a stale claim that never reached the mail server.
            db.Entry(delivery).State = EntityState.Detached;
            var stale = now - StaleClaim;
            var taken = await db.ReportDeliveries
                .Where(d => d.LeaderId == leaderId && d.Week == week && d.Status == DeliveryStatus.Claimed && d.ClaimedAt < stale)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedBy, WorkerId).SetProperty(d => d.ClaimedAt, now).SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
            return taken == 1
                ? await db.ReportDeliveries.SingleAsync(d => d.LeaderId == leaderId && d.Week == week, cancellationToken)
                : null;
        }
    }

    private async Task FinishAsync(ReportDelivery delivery, DeliveryStatus status, string? messageId, CancellationToken cancellationToken)
    {
        delivery.Status = status;
        delivery.MessageId = messageId;
        delivery.SentAt = status == DeliveryStatus.Sent ? Now() : null;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task ReleaseAsync(ReportDelivery delivery)
    {
        if (delivery.Status == DeliveryStatus.Sending)
        {
            // The failure came from the mail server's answer, not a crash: nothing was accepted.
        }

        await db.ReportDeliveries.Where(d => d.Id == delivery.Id && d.ClaimedBy == WorkerId).ExecuteDeleteAsync(CancellationToken.None);
    }

    private Instant Now() => Instant.FromDateTimeOffset(time.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of leader {LeaderId} for {Week} was already sent or is being sent")]
    private partial void LogAlreadyHandled(Guid leaderId, string week);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mail server refused the address of leader {LeaderId}; reports paused until it changes")]
    private partial void LogBounced(Guid leaderId);
}
