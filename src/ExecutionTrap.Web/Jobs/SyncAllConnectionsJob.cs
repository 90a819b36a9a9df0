using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// The sync round: every connection that can be synced starts at its own stable offset within
/// Jobs:SyncSpreadSeconds rather than all at the top of the round; those in the same ten-second slot share a
/// <see cref="SyncConnectionBatchJob"/> (a lone one gets a <see cref="SyncConnectionJob"/>).
/// </summary>
internal sealed partial class SyncAllConnectionsJob(
    ExecutionTrapDbContext db,
    IBackgroundJobClient jobs,
    IOptions<JobsOptions> options,
    ILogger<SyncAllConnectionsJob> logger)
{
    public const string Id = "sync-all-connections";

    [Queue("sync")]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var ids = await db.Connections
            .Where(c => c.Status == ConnectionStatus.Active || c.Status == ConnectionStatus.Error)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);

        // Connections whose offsets fall in the same slot of the round start together, Jobs:SyncBatchSize to a job:
        // one job per calendar would cost Hangfire's own bookkeeping (a dozen transactions) for every calendar,
        // which is most of what syncing an unchanged calendar costs (bench/README.md).
        var spread = TimeSpan.FromSeconds(options.Value.SyncSpreadSeconds);
        var slots = ids.GroupBy(id => Slot(SyncSpread.OffsetOf(id, spread)));
        foreach (var slot in slots)
        {
            foreach (var batch in slot.Chunk(options.Value.SyncBatchSize))
            {
                Start(batch, slot.Key);
            }
        }

        LogEnqueued(ids.Count, spread.TotalSeconds);
    }

    /// <summary>How finely the round is cut: connections within this many seconds of each other start together.</summary>
    internal static readonly TimeSpan SlotLength = TimeSpan.FromSeconds(10);

    private static TimeSpan Slot(TimeSpan offset) => TimeSpan.FromTicks(offset.Ticks - (offset.Ticks % SlotLength.Ticks));

    // A lone connection keeps a job of its own, with its retries; more share a batch.
    private void Start(Guid[] batch, TimeSpan delay)
    {
        var id = batch[0];
        var job = batch.Length == 1
            ? Job.FromExpression<SyncConnectionJob>(sync => sync.RunAsync(id, CancellationToken.None))
            : Job.FromExpression<SyncConnectionBatchJob>(sync => sync.RunAsync(batch, CancellationToken.None));
        jobs.Create(job, delay == TimeSpan.Zero ? new EnqueuedState() : new ScheduledState(delay));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync round: {Count} connections spread over {SpreadSeconds} s")]
    private partial void LogEnqueued(int count, double spreadSeconds);
}
