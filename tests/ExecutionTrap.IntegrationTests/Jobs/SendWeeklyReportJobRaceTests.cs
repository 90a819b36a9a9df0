using ExecutionTrap.IntegrationTests.Reports;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExecutionTrap.IntegrationTests.Jobs;

/// <summary>
/// Two workers — two hosts, each with its own Hangfire server, on one PostgreSQL database for both the
/// application and Hangfire — given the same (leader, week) several times at once.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class SendWeeklyReportJobRaceTests(PostgresServer postgres, SmtpSinkFixture sink, ITestOutputHelper output) : IClassFixture<SmtpSinkFixture>
{
    private const int Leaders = 12;
    private const int CopiesPerLeader = 3;

    private static readonly HashSet<string> FinalStates = [SucceededState.StateName, FailedState.StateName, DeletedState.StateName];

    [Fact]
    public async Task RunAsync_SendsExactlyOneEmailPerLeaderWeek_WhenTwoHangfireServersRunTheSameJobAtOnce()
    {
        var database = await postgres.CreateDatabaseAsync("etrap_race");
        await using var first = new ReportAppFactory(ReportAppFactory.Postgres(database, sink.Port, workers: 4));
        _ = first.Services; // starts the host: migrations and Hangfire's schema, before the second host looks at them
        await using var second = new ReportAppFactory(ReportAppFactory.Postgres(database, sink.Port, workers: 4));
        _ = second.Services;
        var leaders = new List<Guid>();
        for (var i = 0; i < Leaders; i++)
        {
            leaders.Add(await first.SeedLeaderAsync());
        }

        var clients = new[] { first.Services.GetRequiredService<IBackgroundJobClient>(), second.Services.GetRequiredService<IBackgroundJobClient>() };
        var week = ReportAppFactory.Week.ToString();
        var jobs = new List<(Guid LeaderId, string JobId)>();
        foreach (var leaderId in leaders)
        {
            for (var copy = 0; copy < CopiesPerLeader; copy++)
            {
                jobs.Add((leaderId, clients[copy % 2].Enqueue<SendWeeklyReportJob>(job => job.RunAsync(leaderId, week, CancellationToken.None))));
            }
        }

        var storage = first.Services.GetRequiredService<JobStorage>();
        await WaitUntilFinishedAsync(storage, jobs.Select(j => j.JobId), TimeSpan.FromMinutes(3));

        var monitoring = storage.GetMonitoringApi();
        var runs = jobs.Select(j => (j.LeaderId, Run: Run(monitoring, j.JobId))).ToList();
        var raced = runs.GroupBy(r => r.LeaderId).Count(g => g.Any(a => g.Any(b => a.Run.Server != b.Run.Server && a.Run.Start < b.Run.End && b.Run.Start < a.Run.End)));
        output.WriteLine($"{raced} of {Leaders} leaders had copies of their job running at the same time on both servers");

        Assert.All(runs, r => Assert.Equal(SucceededState.StateName, r.Run.State));
        Assert.All(leaders, leaderId => Assert.Single(ReportAppFactory.Received(sink, ReportAppFactory.MessageId(leaderId, ReportAppFactory.Week))));
        await using var scope = first.Scope();
        var deliveries = await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().ReportDeliveries.AsNoTracking()
            .Where(d => leaders.Contains(d.LeaderId)).ToListAsync();
        Assert.Equal(Leaders, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Sent, d.Status));
        Assert.Equal(2, runs.Select(r => r.Run.Server).Distinct().Count());
        Assert.True(raced > 0, "No two copies ran at the same time: the test did not exercise the race.");
    }

    private static async Task WaitUntilFinishedAsync(JobStorage storage, IEnumerable<string> jobIds, TimeSpan timeout)
    {
        var pending = jobIds.ToHashSet();
        using var connection = storage.GetConnection();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            pending.RemoveWhere(id => connection.GetStateData(id)?.Name is { } state && FinalStates.Contains(state));
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"{pending.Count} report jobs did not finish in {timeout}.");
            }

            await Task.Delay(250);
        }
    }

    private static (string State, string Server, DateTime Start, DateTime End) Run(Hangfire.Storage.IMonitoringApi monitoring, string jobId)
    {
        var history = monitoring.JobDetails(jobId).History;
        var processing = history.Last(h => h.StateName == ProcessingState.StateName);
        var final = history.First();
        return (final.StateName, processing.Data["ServerId"], processing.CreatedAt, final.CreatedAt);
    }
}
