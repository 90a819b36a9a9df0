using ExecutionTrap.IntegrationTests.Support;

namespace ExecutionTrap.IntegrationTests.Operations;

[Collection(PostgresGroup.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_CountsTheJobAndItsEvents_AfterASync()
    {
        await using var app = OperationsApp.Embedded();
        var client = app.CreateClient();
        var connectionId = await Samples.ConnectSampleCalendarAsync(client);
        await Samples.WaitUntilSyncedAsync(client, connectionId, TimeSpan.FromSeconds(60));

        var metrics = await client.GetStringAsync("/metrics");

        Assert.Contains("etrap_jobs_run_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("job=\"SyncConnectionJob\"", metrics, StringComparison.Ordinal);
        Assert.Contains("etrap_events_synced_total{", metrics, StringComparison.Ordinal);
        Assert.Contains("provider=\"ics\"", metrics, StringComparison.Ordinal);
        Assert.Contains("etrap_sync_lag_max_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("etrap_sync_lag_p95_seconds", metrics, StringComparison.Ordinal);
    }
}
