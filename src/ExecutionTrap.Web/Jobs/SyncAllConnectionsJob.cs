using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Hangfire;
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
        if (batch.Length == 1)
        {
            var id = batch[0];
            if (delay == TimeSpan.Zero)
            {
                jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None));
            }
            else
            {
                jobs.Schedule<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None), delay);
            }
        }
        else if (delay == TimeSpan.Zero)
        {
            jobs.Enqueue<SyncConnectionBatchJob>(job => job.RunAsync(batch, CancellationToken.None));
        }
        else
        {
            jobs.Schedule<SyncConnectionBatchJob>(job => job.RunAsync(batch, CancellationToken.None), delay);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync round: {Count} connections spread over {SpreadSeconds} s")]
    private partial void LogEnqueued(int count, double spreadSeconds);
}
