using Hangfire;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Syncs a batch of connections, a few at a time, each exactly as <see cref="SyncConnectionJob"/> does (its
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

    /// <summary>Connections of one batch synced at once; each also waits its turn at the per-provider limit.</summary>
    internal const int Parallelism = 4;

    [Queue("sync")]
    [AutomaticRetry(Attempts = 1)]
    public Task RunAsync(Guid[] connectionIds, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            connectionIds,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (connectionId, token) =>
            {
                await using var scope = scopes.CreateAsyncScope();
                try
                {
                    await scope.ServiceProvider.GetRequiredService<SyncConnectionJob>().RunAsync(connectionId, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHandedOver(connectionId, ex);
                    jobs.Schedule<SyncConnectionJob>(job => job.RunAsync(connectionId, CancellationToken.None), HandOverDelay);
                }
            });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of connection {ConnectionId} failed in a batch; it goes on as a job of its own")]
    private partial void LogHandedOver(Guid connectionId, Exception exception);
}
