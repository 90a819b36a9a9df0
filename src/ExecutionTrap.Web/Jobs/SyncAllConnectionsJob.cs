using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// The sync round: one <see cref="SyncConnectionJob"/> per connection that can be synced, each scheduled at
/// its own stable offset within Jobs:SyncSpreadSeconds rather than all at the top of the round.
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

        var spread = TimeSpan.FromSeconds(options.Value.SyncSpreadSeconds);
        foreach (var id in ids)
        {
            var delay = SyncSpread.OffsetOf(id, spread);
            if (delay == TimeSpan.Zero)
            {
                jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None));
            }
            else
            {
                jobs.Schedule<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None), delay);
            }
        }

        LogEnqueued(ids.Count, spread.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync round: {Count} connections spread over {SpreadSeconds} s")]
    private partial void LogEnqueued(int count, double spreadSeconds);
}
