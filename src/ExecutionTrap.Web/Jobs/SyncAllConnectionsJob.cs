using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Jobs;

/// <summary>The sync round: one <see cref="SyncConnectionJob"/> per connection that can be synced.</summary>
internal sealed partial class SyncAllConnectionsJob(
    ExecutionTrapDbContext db,
    IBackgroundJobClient jobs,
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

        foreach (var id in ids)
        {
            jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None));
        }

        LogEnqueued(ids.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync round: {Count} connections enqueued")]
    private partial void LogEnqueued(int count);
}
