using System.Net;
using ExecutionTrap.IntegrationTests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.IntegrationTests.Operations;

// Hangfire keeps its storage in a static; hosts that use it run one after another in this collection.
[Collection(PostgresGroup.Name)]
public sealed class HostRoleTests(PostgresServer postgres)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WebRole_RunsNoJobServer_AndServesTheApi()
    {
        await using var app = await OperationsApp.ProductionAsync(postgres, "web");
        var client = app.CreateClient();

        var api = await client.GetAsync("/api/connections");
        var ready = await client.GetAsync("/healthz/ready");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var servers = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers();

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode); // served, to signed-in callers only (a worker answers 404)
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Empty(servers);
    }

    [Fact]
    public async Task WorkerRole_AnswersHealthAndMetricsOnly()
    {
        await using var app = await OperationsApp.ProductionAsync(postgres, "worker");
        var client = app.CreateClient();

        var api = await client.GetAsync("/api/connections");
        var dashboard = await client.GetAsync("/hangfire");
        var ready = await client.GetAsync("/healthz/ready");
        var live = await client.GetAsync("/healthz/live");
        var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }

    [Fact]
    public async Task WorkerRole_RunsOneServerPerQueueGroup_WhenQueuesHaveWorkerCounts()
    {
        await using var app = await OperationsApp.ProductionAsync(
            postgres,
            "worker",
            ("Jobs:Queues:sync:Workers", "3"),
            ("Jobs:Queues:email:Workers", "1"),
            ("Jobs:Queues:classify:Workers", "0"),
            ("Jobs:WorkerCount", "2"));
        _ = app.CreateClient();

        var servers = await WaitForServersAsync(app, 3);

        Assert.Contains(servers, s => s.Queues.SequenceEqual(["sync"]) && s.WorkersCount == 3);
        Assert.Contains(servers, s => s.Queues.SequenceEqual(["email"]) && s.WorkersCount == 1);
        // classify has 0 workers here: left to other processes, not folded into the shared server.
        Assert.Contains(servers, s => s.Queues.SequenceEqual(["reports", "default"]) && s.WorkersCount == 2);
        Assert.DoesNotContain(servers, s => s.Queues.Contains("classify"));
    }

    [Fact]
    public async Task Host_WaitsLongerThanTheJobServers_WhenStopping()
    {
        await using var app = OperationsApp.Embedded(("Jobs:ShutdownTimeoutSeconds", "20"));
        _ = app.CreateClient();

        var host = app.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(25), host.ShutdownTimeout);
    }

    [Fact]
    public void WebRole_FailsToStart_WhenJobsAreKeptInMemory()
    {
        using var app = OperationsApp.Embedded(("Host:Role", "web"));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Jobs:Storage=PostgreSql", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<List<Hangfire.Storage.Monitoring.ServerDto>> WaitForServersAsync(OperationsApp app, int count)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            var servers = monitoring.Servers().ToList();
            if (servers.Count >= count || deadline.IsCancellationRequested)
            {
                return servers;
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }
}
