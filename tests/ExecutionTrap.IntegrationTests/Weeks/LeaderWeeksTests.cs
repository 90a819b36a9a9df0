using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.IntegrationTests.Storage;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Weeks;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Weeks;

[Collection(PostgresGroup.Name)]
public sealed class LeaderWeeksTests(PostgresServer postgres)
{
    private static readonly IsoWeek First = new(2026, 45);
    private static readonly IsoWeek Last = new(2026, 47);

    public static TheoryData<string> Providers => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ScoreManyAsync_GivesWhatScoreAsyncGives_ForLeadersInDifferentZones(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var london = await AddLeaderAsync(storage, "Europe/London");
        var newYork = await AddLeaderAsync(storage, "America/New_York");

        await using var scope = storage.Scope();
        var weeks = new LeaderWeeks(scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>(), DateTimeZoneProviders.Tzdb);
        var many = await weeks.ScoreManyAsync([london, newYork, Guid.NewGuid()], First, Last, CancellationToken.None);

        Assert.Equal(2, many.Count);
        foreach (var (context, scores) in many)
        {
            var one = await weeks.ScoreAsync(context.Leader.Id, context.Zone, First, Last, CancellationToken.None);
            Assert.Equal(one.Select(Minutes), scores.Select(Minutes));
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ScoreManyAsync_CutsWeeksInTheLeadersZone_WhenAMeetingStartsEarlyOnMondayUtc(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var newYork = await AddLeaderAsync(storage, "America/New_York");

        await using var scope = storage.Scope();
        var weeks = new LeaderWeeks(scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>(), DateTimeZoneProviders.Tzdb);
        var (_, scores) = Assert.Single(await weeks.ScoreManyAsync([newYork], First, Last, CancellationToken.None));

        // Monday 02:00 UTC of week 47 is Sunday evening in New York: still week 46 there.
        Assert.Equal(60 + 30, scores.Single(s => s.Week == new IsoWeek(2026, 46)).MinutesByCategory[Category.Strategy]);
    }

    private static string Minutes(WeekScore score) =>
        $"{score.Week}: {string.Join(", ", score.MinutesByCategory.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}";

    private static async Task<Guid> AddLeaderAsync(StorageHost storage, string zone)
    {
        await using var scope = storage.Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "example", Domain = $"{Guid.NewGuid():N}.example.com" };
        var leader = new Leader { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Email = $"{Guid.NewGuid():N}@example.com", DisplayName = "Dana", TimeZone = zone };
        var active = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Microsoft, Address = "primary" };
        var disconnected = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Ics, Address = "old.ics", Status = ConnectionStatus.Disconnected };
        db.AddRange(organisation, leader, active, disconnected);
        db.Meetings.AddRange(
            Stored(active.Id, "a", Instant.FromUtc(2026, 11, 10, 9, 0), 60, Category.Execution),
            Stored(active.Id, "b", Instant.FromUtc(2026, 11, 10, 9, 30), 60, Category.Escalation),
            Stored(active.Id, "c", Instant.FromUtc(2026, 11, 12, 14, 0), 60, Category.Strategy),
            Stored(active.Id, "d", Instant.FromUtc(2026, 11, 16, 2, 0), 30, Category.Strategy),
            Stored(active.Id, "e", Instant.FromUtc(2026, 11, 18, 8, 0), 45, Category.PeopleDevelopment),
            Stored(disconnected.Id, "f", Instant.FromUtc(2026, 11, 18, 10, 0), 60, Category.Firefighting));
        await db.SaveChangesAsync();
        return leader.Id;
    }

    private static StoredMeeting Stored(Guid connectionId, string id, Instant start, int minutes, Category category) => new()
    {
        ConnectionId = connectionId,
        ProviderId = id,
        Provider = CalendarProvider.Microsoft,
        Title = "Meeting",
        Start = start,
        End = start + Duration.FromMinutes(minutes),
        AttendeeCount = 4,
        Category = category,
        Confidence = 0.9,
        DecidedBy = "test",
    };
}
