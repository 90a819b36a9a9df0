using ExecutionTrap.Storage;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Syncs a batch of connections (incremental ones a few at a time, full reads one after another), each exactly as <see cref="SyncConnectionJob"/> does (its
/// own scope and database context, the same per-connection lock), so a batch that runs twice, or beside a
/// connection's own job, syncs nothing twice. A connection whose sync throws (its provider unavailable) is
/// handed to a job of its own, with that job's retries, and the batch goes on.
/// </summary>
internal sealed partial class SyncConnectionBatchJob(
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    ILogger<SyncConnectionBatchJob> logger)
{
    public const string Id = "sync-connection-batch";

    /// <summary>How long a connection handed over waits before its own job tries again.</summary>
    internal static readonly TimeSpan HandOverDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Incremental syncs of one batch run at once: each is one provider request, so they wait, not work. Full
    /// reads (no cursor yet) parse, classify and store every event and run one after another: in the load harness,
    /// running them four at a time cost a fifth more CPU per event.
    /// </summary>
    internal const int IncrementalParallelism = 4;

    [Queue("sync")]
    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(Guid[] connectionIds, CancellationToken cancellationToken)
    {
        List<Guid> incremental;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
            incremental = await db.Connections.AsNoTracking()
                .Where(c => connectionIds.Contains(c.Id) && c.Cursor != null)
                .Select(c => c.Id)
                .ToListAsync(cancellationToken);
        }

        var fullReads = connectionIds.Except(incremental).ToList();
        await Parallel.ForEachAsync(
            incremental,
            new ParallelOptions { MaxDegreeOfParallelism = IncrementalParallelism, CancellationToken = cancellationToken },
            async (connectionId, token) => await SyncAsync(connectionId, token));
        foreach (var connectionId in fullReads)
        {
            await SyncAsync(connectionId, cancellationToken);
        }
    }

    private async Task SyncAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<SyncConnectionJob>().RunAsync(connectionId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogHandedOver(connectionId, ex);
            jobs.Schedule<SyncConnectionJob>(job => job.RunAsync(connectionId, CancellationToken.None), HandOverDelay);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of connection {ConnectionId} failed in a batch; it goes on as a job of its own")]
    private partial void LogHandedOver(Guid connectionId, Exception exception);
}
