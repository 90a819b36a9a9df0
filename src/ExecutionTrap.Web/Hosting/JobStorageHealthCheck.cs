using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExecutionTrap.Web.Hosting;

/// <summary>Hangfire's storage answers: one indexed read of a hash that normally does not exist.</summary>
internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Hangfire's storage API is synchronous; keep the probe off the request thread.
            await Task.Run(
                () =>
                {
                    using var connection = storage.GetConnection();
                    connection.GetAllEntriesFromHash("etrap:health");
                },
                cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The job storage does not answer.", e);
        }
    }
}
