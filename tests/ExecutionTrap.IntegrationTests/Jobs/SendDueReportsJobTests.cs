using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Storage;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.IntegrationTests.Jobs;

/// <summary>
/// When each leader's report is due. The decision is a pure function (tested first, no I/O); the job around it
/// runs on a real SQLite database with a FakeTimeProvider and a job client that records what it was given.
/// </summary>
public sealed class SendDueReportsJobTests
{
    [Theory]
    // Monday 07:00 in Auckland is Sunday evening in UTC: NZDT (+13) in November, NZST (+12) in June.
    [InlineData("Pacific/Auckland", "2026-11-15T17:59:59Z", null)]
    [InlineData("Pacific/Auckland", "2026-11-15T18:00:00Z", "2026-W46")]
    [InlineData("Pacific/Auckland", "2026-06-14T18:59:59Z", null)]
    [InlineData("Pacific/Auckland", "2026-06-14T19:00:00Z", "2026-W24")]
    // DST ends in Auckland on Sunday 5 April 2026; the next Monday 07:00 is already NZST.
    [InlineData("Pacific/Auckland", "2026-04-05T19:00:00Z", "2026-W14")]
    // Los Angeles: PDT (-7) before Sunday 1 November 2026, PST (-8) from then on.
    [InlineData("America/Los_Angeles", "2026-10-26T13:59:59Z", null)]
    [InlineData("America/Los_Angeles", "2026-10-26T14:00:00Z", "2026-W43")]
    [InlineData("America/Los_Angeles", "2026-11-02T14:30:00Z", null)]
    [InlineData("America/Los_Angeles", "2026-11-02T15:00:00Z", "2026-W44")]
    // DST starts in the US on Sunday 8 March 2026: Monday 9 March 07:00 PDT is 14:00 UTC.
    [InlineData("America/Los_Angeles", "2026-03-09T14:00:00Z", "2026-W10")]
    // London: BST ends Sunday 25 October 2026; Monday 26 October 07:00 GMT is 07:00 UTC, not 06:00.
    [InlineData("Europe/London", "2026-10-26T06:30:00Z", null)]
    [InlineData("Europe/London", "2026-10-26T07:00:00Z", "2026-W43")]
    // BST starts Sunday 29 March 2026: Monday 30 March 07:00 BST is 06:00 UTC.
    [InlineData("Europe/London", "2026-03-30T06:00:00Z", "2026-W13")]
    [InlineData("Europe/London", "2026-03-30T05:59:00Z", null)]
    // Sunday night is still week 47 in London (though already week 48 in UTC+1 zones): the report due is week 46's.
    [InlineData("Europe/London", "2026-11-22T23:00:00Z", "2026-W46")]
    public void DueWeek_IsTheLastCompleteWeek_FromMonday0700InTheLeadersZone(string zoneId, string now, string? expected)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];

        var due = SendDueReportsJob.DueWeek(InstantPattern.ExtendedIso.Parse(now).Value, zone, IsoDayOfWeek.Monday, 7);

        Assert.Equal(expected, due?.ToString());
    }

    [Theory]
    [InlineData(IsoDayOfWeek.Friday, 16, "2026-11-20T15:59:00Z", null)]
    [InlineData(IsoDayOfWeek.Friday, 16, "2026-11-20T16:00:00Z", "2026-W46")]
    [InlineData(IsoDayOfWeek.Sunday, 20, "2026-11-22T20:00:00Z", "2026-W46")]
    // A worker that was down on Monday morning still sends last week's report later in the week.
    [InlineData(IsoDayOfWeek.Monday, 7, "2026-11-21T10:00:00Z", "2026-W46")]
    public void DueWeek_FollowsTheLeadersOwnDayAndHour(IsoDayOfWeek day, int hour, string now, string? expected)
    {
        var due = SendDueReportsJob.DueWeek(InstantPattern.ExtendedIso.Parse(now).Value, DateTimeZoneProviders.Tzdb["Europe/London"], day, hour);

        Assert.Equal(expected, due?.ToString());
    }

    [Fact]
    public void DueWeek_MovesToTheFirstValidInstant_WhenTheReportHourFallsInADstGap()
    {
        // 01:00 on Sunday 29 March 2026 does not exist in London; the report goes at 02:00 BST = 01:00 UTC.
        var zone = DateTimeZoneProviders.Tzdb["Europe/London"];

        var before = SendDueReportsJob.DueWeek(Instant.FromUtc(2026, 3, 29, 0, 59), zone, IsoDayOfWeek.Sunday, 1);
        var at = SendDueReportsJob.DueWeek(Instant.FromUtc(2026, 3, 29, 1, 0), zone, IsoDayOfWeek.Sunday, 1);

        Assert.Null(before);
        Assert.Equal("2026-W12", at?.ToString());
    }

    [Fact]
    public async Task RunAsync_EnqueuesEachLeaderWhoseTimeHasCome_OnceAcrossZonesAndRounds()
    {
        // Sunday 15 November 2026, 18:30 UTC: Monday 07:30 in Auckland, Sunday morning in LA, Sunday evening in London.
        await using var storage = await StorageHost.StartAsync("Sqlite");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 15, 18, 30, 0, TimeSpan.Zero));
        var auckland = await AddLeaderAsync(storage, "Pacific/Auckland");
        var losAngeles = await AddLeaderAsync(storage, "America/Los_Angeles");
        var london = await AddLeaderAsync(storage, "Europe/London");
        var londonFriday = await AddLeaderAsync(storage, "Europe/London", l => (l.ReportDay, l.ReportHour) = (IsoDayOfWeek.Friday, 16));
        var off = await AddLeaderAsync(storage, "Pacific/Auckland", l => l.ReportsEnabled = false);
        var bounced = await AddLeaderAsync(storage, "Pacific/Auckland", l => l.EmailBouncedAt = Instant.FromUtc(2026, 11, 1, 0, 0));
        var jobs = new RecordingJobClient();
        foreach (var leader in new[] { auckland, losAngeles, london, londonFriday, off, bounced })
        {
            // Last week's reports went out: only week 46 is at stake.
            await MarkHandledAsync(storage, leader, "2026-W45");
        }

        await RunAsync(storage, time, jobs);
        var firstRound = jobs.TakeAll();
        time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 7, 0, 0, TimeSpan.Zero));
        await MarkHandledAsync(storage, auckland, "2026-W46");
        await RunAsync(storage, time, jobs);
        var secondRound = jobs.TakeAll();
        time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 15, 0, 0, TimeSpan.Zero));
        await RunAsync(storage, time, jobs);
        var thirdRound = jobs.TakeAll();

        Assert.Equal([(auckland, "2026-W46")], firstRound);
        Assert.Equal([(london, "2026-W46")], secondRound);
        // London was enqueued but its job has not claimed the week yet, so it is enqueued again; the claim keeps it to one email.
        Assert.Equal([(losAngeles, "2026-W46"), (london, "2026-W46")], thirdRound.OrderBy(j => j.LeaderId == london));
    }

    [Fact]
    public async Task RunAsync_EnqueuesTheDueLeadersInBatchesOfTheConfiguredSize_EachLeaderOnce()
    {
        await using var storage = await StorageHost.StartAsync("Sqlite");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 16, 12, 0, 0, TimeSpan.Zero));
        var leaders = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            leaders.Add(await AddLeaderAsync(storage, "Europe/London"));
        }

        var jobs = new RecordingJobClient();

        await RunAsync(storage, time, jobs, batchSize: 2);

        Assert.Equal(3, jobs.Batches);
        Assert.Equal(leaders.Order(), jobs.TakeAll().Select(j => j.LeaderId).Order());
    }

    private static async Task RunAsync(StorageHost storage, FakeTimeProvider time, RecordingJobClient jobs, int batchSize = 100)
    {
        await using var scope = storage.Scope();
        var job = new SendDueReportsJob(
            scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>(),
            jobs,
            DateTimeZoneProviders.Tzdb,
            time,
            Microsoft.Extensions.Options.Options.Create(new JobsOptions { ReportBatchSize = batchSize }),
            NullLogger<SendDueReportsJob>.Instance);
        await job.RunAsync(CancellationToken.None);
    }

    private static async Task<Guid> AddLeaderAsync(StorageHost storage, string zone, Action<Leader>? configure = null)
    {
        await using var scope = storage.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Example", Domain = $"{Guid.NewGuid():N}.example.com" };
        var leader = new Leader { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Email = $"{Guid.NewGuid():N}@example.com", DisplayName = zone, TimeZone = zone };
        configure?.Invoke(leader);
        db.AddRange(organisation, leader, new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Ics, Address = "calendar.ics" });
        await db.SaveChangesAsync();
        return leader.Id;
    }

    private static async Task MarkHandledAsync(StorageHost storage, Guid leaderId, string week)
    {
        await using var scope = storage.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        db.ReportDeliveries.Add(new ReportDelivery { LeaderId = leaderId, Week = week, Status = DeliveryStatus.Sent, ClaimedBy = "test", ClaimedAt = Instant.FromUtc(2026, 11, 15, 18, 31) });
        await db.SaveChangesAsync();
    }
}

/// <summary>An <see cref="IBackgroundJobClient"/> that keeps the report batches it is given, leader by leader, instead of storing them.</summary>
internal sealed class RecordingJobClient : IBackgroundJobClient
{
    private readonly List<(Guid LeaderId, string Week)> _jobs = [];

    public List<(Guid LeaderId, string Week)> TakeAll()
    {
        var taken = _jobs.ToList();
        _jobs.Clear();
        return taken;
    }

    public int Batches { get; private set; }

    public string Create(Job job, IState state)
    {
        Assert.Equal(typeof(SendWeeklyReportBatchJob), job.Type);
        Batches++;
        _jobs.AddRange(((Guid[])job.Args[0]).Select(leaderId => (leaderId, (string)job.Args[1])));
        return Batches.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
