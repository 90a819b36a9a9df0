using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Web.Weeks;
using Hangfire;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// The reports of many leaders for one week, scored together: three queries for the whole batch instead of
/// three per leader, which is what makes a report round over every leader of a large organisation cheap
/// (bench/README.md, report-aggregates). Each leader still goes through <see cref="SendWeeklyReportJob"/>'s
/// claim, so a batch that runs twice, or beside a single leader's job, sends nothing twice. A leader whose
/// send fails gets a job of their own, with its own retries, and the batch goes on.
/// </summary>
internal sealed partial class SendWeeklyReportBatchJob(
    LeaderWeeks weeks,
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    ILogger<SendWeeklyReportBatchJob> logger)
{
    public const string Id = "send-weekly-report-batch";

    [Queue("email")]
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [30, 60, 120, 300, 600, 1200, 1800, 3600])]
    public async Task RunAsync(Guid[] leaderIds, string week, CancellationToken cancellationToken)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            LogBadWeek(leaderIds.Length, week);
            return;
        }

        var (first, last) = LeaderReports.WeeksOf(isoWeek);
        var handedOver = 0;
        foreach (var (context, scores) in await weeks.ScoreManyAsync(leaderIds, first, last, cancellationToken))
        {
            // A scope (and database context) per leader: a save that failed for one must not be retried with the next.
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<SendWeeklyReportJob>().SendAsync(context, isoWeek, scores, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The claim was given back; the leader's own job retries on its own schedule.
                LogHandedOver(context.Leader.Id, isoWeek, ex);
                var leaderId = context.Leader.Id;
                jobs.Enqueue<SendWeeklyReportJob>(job => job.RunAsync(leaderId, week, CancellationToken.None));
                handedOver++;
            }
        }

        LogBatchDone(leaderIds.Length, isoWeek, handedOver);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report of leader {LeaderId} for {Week} failed in a batch; it goes on as a job of its own")]
    private partial void LogHandedOver(Guid leaderId, IsoWeek week, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report batch of {Count} leaders for {Week} done; {HandedOver} handed over to their own jobs")]
    private partial void LogBatchDone(int count, IsoWeek week, int handedOver);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report batch of {Count} leaders has a week that is not an ISO week: {Week}")]
    private partial void LogBadWeek(int count, string week);
}
