using ExecutionTrap.IntegrationTests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Operations;

[Collection(PostgresGroup.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_CountsTheJobAndItsEvents_AfterASync()
    {
        await using var app = OperationsApp.Embedded();
        var client = await DevSignIn.SignInAsync(app, $"dana-{Guid.NewGuid():N}@example.com");
        var connectionId = await Samples.ConnectSampleCalendarAsync(client);
        await Samples.WaitUntilSyncedAsync(client, connectionId, TimeSpan.FromSeconds(60));

        // The job is counted once it returns, a moment after its last page is stored.
        var metrics = await WaitForMetricAsync(client, "etrap_jobs_run_total{", "etrap_events_synced_total{");

        Assert.Contains("job=\"SyncConnectionJob\"", metrics, StringComparison.Ordinal);
        Assert.Contains("provider=\"ics\"", metrics, StringComparison.Ordinal);
        Assert.Contains("etrap_sync_lag_max_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("etrap_sync_lag_p95_seconds", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountsRetriesAndFailures_OfJobsThatThrow()
    {
        await using var app = OperationsApp.Embedded();
        var client = app.CreateClient();
        var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();

        jobs.Enqueue(() => ThrowingJobs.FailForGood());
        jobs.Enqueue(() => ThrowingJobs.FailAndRetry());
        var metrics = await WaitForMetricAsync(client, "etrap_jobs_failed_total{", "etrap_jobs_retried_total{");

        Assert.Contains("job=\"ThrowingJobs\"", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForMetricAsync(HttpClient client, params string[] names)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var metrics = await client.GetStringAsync("/metrics");
            if (names.All(n => metrics.Contains(n, StringComparison.Ordinal)) || deadline.IsCancellationRequested)
            {
                Assert.All(names, n => Assert.Contains(n, metrics, StringComparison.Ordinal));
                return metrics;
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }
}

/// <summary>Jobs that always throw; public so that Hangfire can invoke them.</summary>
public static class ThrowingJobs
{
    [AutomaticRetry(Attempts = 0)]
    public static void FailForGood() => throw new InvalidOperationException("This job always fails.");

    // The retry is an hour away: the test sees the first failure rescheduled, never the second attempt.
    [AutomaticRetry(Attempts = 1, DelaysInSeconds = [3600])]
    public static void FailAndRetry() => throw new InvalidOperationException("This job fails and is retried.");
}
