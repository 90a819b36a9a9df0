using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// Recomputes the sync-lag gauges now and then: a scrape must not query the database, and one row per
/// connection is cheap every half minute. A connection never synced counts from when it was added.
/// </summary>
internal sealed partial class SyncLagSampler(
    IServiceScopeFactory scopes,
    ExecutionTrapMetrics metrics,
    IOptions<OperationsOptions> options,
    TimeProvider time,
    ILogger<SyncLagSampler> logger) : BackgroundService
{
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var lastSynced = await db.Connections.AsNoTracking()
            .Where(c => c.Status == ConnectionStatus.Active || c.Status == ConnectionStatus.Error)
            .Select(c => c.LastSyncedAt ?? c.CreatedAt)
            .ToListAsync(cancellationToken);
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        metrics.RecordSyncLag(SyncLag.From(lastSynced.Select(at => (now - at).ToTimeSpan()).ToList()));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SyncLagSampleSeconds), time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The readiness check reports the database; the gauges keep their last value meanwhile.
                LogSampleFailed(e.Message);
            }
        }
        while (await NextAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the sync lag: {Error}")]
    private partial void LogSampleFailed(string error);
}
