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

        // Each connection starts in the ten-second slot its own offset falls in, alone or in a batch.
        var started = jobs.Created.SelectMany(c => Connections(c.Job).Select(id => (Id: id, c.State))).ToList();
        foreach (var (id, state) in started)
        {
            var offset = SyncSpread.OffsetOf(id, spread);
            var expected = before + offset - TimeSpan.FromTicks(offset.Ticks % SyncAllConnectionsJob.SlotLength.Ticks);
            if (state is ScheduledState scheduled)
            {
                Assert.InRange(scheduled.EnqueueAt, expected - TimeSpan.FromSeconds(5), expected + TimeSpan.FromSeconds(5));
            }
            else
            {
                Assert.True(offset < SyncAllConnectionsJob.SlotLength, $"{id} started at once with an offset of {offset}");
            }
        }

        Assert.Equal(ids.Order(), started.Select(s => s.Id).Order());
        Assert.True(jobs.Created.Select(c => (c.State as ScheduledState)?.EnqueueAt).Distinct().Count() > 6, "the round was not spread");
    }

    [Fact]
    public async Task RunAsync_PutsTheConnectionsOfOneSlotInBatchesOfTheConfiguredSize()
    {
        await using var storage = await StorageHost.StartAsync("Sqlite");
        var ids = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await storage.AddConnectionAsync());
        }

        var jobs = new RecordingJobClient();

        await RunRoundAsync(storage, jobs, spreadSeconds: 0, batchSize: 3);

        Assert.Equal([3, 3, 1], jobs.Created.Select(c => Connections(c.Job).Length).OrderDescending());
        Assert.Equal(2, jobs.Created.Count(c => c.Job.Type == typeof(SyncConnectionBatchJob)));
        Assert.Equal(ids.Order(), jobs.Created.SelectMany(c => Connections(c.Job)).Order());
    }

    private static Guid[] Connections(Job job) => job.Args[0] switch
    {
        Guid id => [id],
        Guid[] batch => batch,
        var other => throw new InvalidOperationException($"Unexpected job argument {other}"),
    };

    [Fact]
    public async Task RunAsync_EnqueuesEveryConnectionAtOnce_WhenTheSpreadIsZero()
    {
        await using var storage = await StorageHost.StartAsync("Sqlite");
        await storage.AddConnectionAsync();
        await storage.AddConnectionAsync();
        var jobs = new RecordingJobClient();

        await RunRoundAsync(storage, jobs, spreadSeconds: 0);

        var batch = Assert.Single(jobs.Created);
        Assert.Equal(2, Connections(batch.Job).Length);
        Assert.IsType<EnqueuedState>(batch.State);
    }

    private static async Task RunRoundAsync(StorageHost storage, RecordingJobClient jobs, int spreadSeconds, int batchSize = 25)
    {
        await using var scope = storage.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var round = new SyncAllConnectionsJob(db, jobs, Options.Create(new JobsOptions { SyncSpreadSeconds = spreadSeconds, SyncBatchSize = batchSize }), NullLogger<SyncAllConnectionsJob>.Instance);
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
