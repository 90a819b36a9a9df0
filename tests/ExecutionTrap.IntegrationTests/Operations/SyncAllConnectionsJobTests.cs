using ExecutionTrap.IntegrationTests.Storage;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.IntegrationTests.Operations;

public sealed class SyncAllConnectionsJobTests
{
    [Fact]
    public async Task RunAsync_SchedulesEachConnectionAtItsOwnOffset_WhenTheRoundIsSpread()
    {
        await using var storage = await StorageHost.StartAsync("Sqlite");
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await storage.AddConnectionAsync());
        }

        var jobs = new RecordingJobClient();
        var spread = TimeSpan.FromMinutes(10);

        // Hangfire stamps a schedule with the system clock.
        var before = TimeProvider.System.GetUtcNow().UtcDateTime;
        await RunRoundAsync(storage, jobs, (int)spread.TotalSeconds);

        Assert.Equal(12, jobs.Created.Count);
        foreach (var (job, state) in jobs.Created)
        {
            var id = (Guid)job.Args[0]!;
            var expected = before + SyncSpread.OffsetOf(id, spread);
            if (state is ScheduledState scheduled)
            {
                Assert.InRange(scheduled.EnqueueAt, expected - TimeSpan.FromSeconds(5), expected + TimeSpan.FromSeconds(5));
            }
            else
            {
                Assert.Equal(TimeSpan.Zero, SyncSpread.OffsetOf(id, spread));
            }
        }

        Assert.Equal(ids.Order(), jobs.Created.Select(c => (Guid)c.Job.Args[0]!).Order());
        Assert.True(jobs.Created.Select(c => (c.State as ScheduledState)?.EnqueueAt).Distinct().Count() > 6, "the round was not spread");
    }

    [Fact]
    public async Task RunAsync_EnqueuesEveryConnectionAtOnce_WhenTheSpreadIsZero()
    {
        await using var storage = await StorageHost.StartAsync("Sqlite");
        await storage.AddConnectionAsync();
        await storage.AddConnectionAsync();
        var jobs = new RecordingJobClient();

        await RunRoundAsync(storage, jobs, spreadSeconds: 0);

        Assert.Equal(2, jobs.Created.Count);
        Assert.All(jobs.Created, c => Assert.IsType<EnqueuedState>(c.State));
    }

    private static async Task RunRoundAsync(StorageHost storage, RecordingJobClient jobs, int spreadSeconds)
    {
        await using var scope = storage.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var round = new SyncAllConnectionsJob(db, jobs, Options.Create(new JobsOptions { SyncSpreadSeconds = spreadSeconds }), NullLogger<SyncAllConnectionsJob>.Instance);
        await round.RunAsync(CancellationToken.None);
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<(Job Job, IState State)> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add((job, state));
            return Created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => false;
    }
}
