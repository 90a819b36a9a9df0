using System.Text.Json;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Operations;

[Collection(PostgresGroup.Name)]
public sealed class JobCorrelationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task JsonLogLines_CarryJobIdTypeAndCorrelationId_WhileAJobRuns()
    {
        await using var app = OperationsApp.Embedded();
        var client = await DevSignIn.SignInAsync(app, $"dana-{Guid.NewGuid():N}@example.com");

        await Samples.ConnectSampleCalendarAsync(client);
        var line = await app.Logs.WaitForAsync(l => l.Contains("Synced connection", StringComparison.Ordinal), Timeout);
        using var json = JsonDocument.Parse(line);

        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("JobId").GetString()));
        Assert.Equal("SyncConnectionJob", json.RootElement.GetProperty("JobType").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("CorrelationId").GetString()));
    }

    [Fact]
    public async Task CorrelationId_FlowsFromTheSyncRoundToTheSyncsItEnqueues()
    {
        await using var app = OperationsApp.Embedded(("Jobs:SyncSpreadSeconds", "0"));
        var client = await DevSignIn.SignInAsync(app, $"dana-{Guid.NewGuid():N}@example.com");
        var connectionId = await Samples.ConnectSampleCalendarAsync(client);
        await Samples.WaitUntilSyncedAsync(client, connectionId, Timeout);

        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<SyncAllConnectionsJob>(job => job.RunAsync(CancellationToken.None));
        var round = Parse(await app.Logs.WaitForAsync(l => l.Contains("Sync round", StringComparison.Ordinal), Timeout));
        var child = Parse(await app.Logs.WaitForAsync(
            l => l.Contains("Synced connection", StringComparison.Ordinal) && Parse(l).CorrelationId == round.CorrelationId,
            Timeout));

        Assert.Equal("SyncAllConnectionsJob", round.JobType);
        Assert.Equal("SyncConnectionJob", child.JobType);
        Assert.NotEqual(round.JobId, child.JobId);
    }

    private static (string? JobId, string? JobType, string? CorrelationId) Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        string? Read(string name) => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;
        return (Read("JobId"), Read("JobType"), Read("CorrelationId"));
    }
}
