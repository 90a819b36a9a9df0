using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Jobs;

internal enum ResendOutcome
{
    Enqueued,
    LeaderNotFound,

    /// <summary>The leader unsubscribed or their address bounced: a resend would go nowhere.</summary>
    NotDeliverable,

    /// <summary>A worker is sending this report right now; deleting its row would let a second copy go out.</summary>
    SendInProgress,
}

internal sealed record ResendResult(ResendOutcome Outcome, string? JobId = null);

/// <summary>The explicit admin action that sends a leader's weekly report again: nothing else ever resends one.</summary>
internal sealed partial class ReportResends(
    ExecutionTrapDbContext db,
    IBackgroundJobClient jobs,
    TimeProvider time,
    ILogger<ReportResends> logger)
{
    /// <summary>Forgets the week's delivery (unless a send is in flight) and enqueues the report job for it.</summary>
    public async Task<ResendResult> ResendAsync(Guid leaderId, IsoWeek week, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.AsNoTracking()
            .Where(l => l.Id == leaderId)
            .Select(l => new { l.ReportsEnabled, l.EmailBouncedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (leader is null)
        {
            return new ResendResult(ResendOutcome.LeaderNotFound);
        }

        if (!leader.ReportsEnabled || leader.EmailBouncedAt is not null)
        {
            return new ResendResult(ResendOutcome.NotDeliverable);
        }

        var text = week.ToString();
        var stale = Instant.FromDateTimeOffset(time.GetUtcNow()) - SendWeeklyReportJob.StaleClaim;
        await db.ReportDeliveries
            .Where(d => d.LeaderId == leaderId && d.Week == text)
            .Where(d => d.Status == DeliveryStatus.Sent
                || d.Status == DeliveryStatus.Skipped
                || d.ClaimedBy == SendWeeklyReportJob.Released
                || d.ClaimedAt < stale)
            .ExecuteDeleteAsync(cancellationToken);
        if (await db.ReportDeliveries.AnyAsync(d => d.LeaderId == leaderId && d.Week == text, cancellationToken))
        {
            return new ResendResult(ResendOutcome.SendInProgress);
        }

        var jobId = jobs.Enqueue<SendWeeklyReportJob>(job => job.RunAsync(leaderId, text, CancellationToken.None));
        LogResendEnqueued(leaderId, week, jobId);
        return new ResendResult(ResendOutcome.Enqueued, jobId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resend of the report of leader {LeaderId} for {Week} enqueued as job {JobId}")]
    private partial void LogResendEnqueued(Guid leaderId, IsoWeek week, string jobId);
}
