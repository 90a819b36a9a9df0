using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Sync;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Weeks;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Classification;

[Collection(PostgresGroup.Name)]
public sealed class MeetingCorrectionsTests(PostgresServer postgres)
{
    private static readonly IsoWeek Week = IsoWeek.Parse("2026-W47");
    private static readonly Instant Monday = Instant.FromUtc(2026, 11, 16, 9, 0);

    public static TheoryData<string> Providers => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CorrectAsync_ChangesTheWeeksMinutes_WhenALeaderCorrectsAMeeting(string provider)
    {
        await using var host = await ClassificationHost.StartAsync(provider, postgres);
        var (_, leaderId, connectionId) = await host.AddLeaderAsync();
        var status = await host.AddMeetingAsync(connectionId, "Atlas weekly", Monday, Category.Execution);
        await host.AddMeetingAsync(connectionId, "Roadmap 2027", Monday + Duration.FromHours(2), Category.Strategy);
        var before = await ScoreAsync(host, leaderId);

        await using (var scope = host.Scope())
        {
            await ClassificationHost.Get<MeetingCorrections>(scope).CorrectAsync(leaderId, status, Category.Strategy, CancellationToken.None);
        }

        var after = await ScoreAsync(host, leaderId);
        Assert.Equal(60, before.MinutesByCategory[Category.Execution]);
        Assert.Equal(50, before.Score);
        Assert.Equal(0, after.MinutesByCategory[Category.Execution]);
        Assert.Equal(120, after.MinutesByCategory[Category.Strategy]);
        Assert.Equal(0, after.Score);
    }

    [Fact]
    public async Task CorrectAsync_ReachesLaterAndFutureOccurrences_ButNotEarlierOnes()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (_, leaderId, connectionId) = await host.AddLeaderAsync();
        var earlier = await host.AddMeetingAsync(connectionId, "Kestrel review", Monday - Duration.FromDays(7), Category.Execution, seriesId: "s1");
        var corrected = await host.AddMeetingAsync(connectionId, "Kestrel review", Monday, Category.Execution, seriesId: "s1");
        var later = await host.AddMeetingAsync(connectionId, "Kestrel review", Monday + Duration.FromDays(7), Category.Execution, seriesId: "s1");

        CorrectionResult? result;
        await using (var scope = host.Scope())
        {
            result = await ClassificationHost.Get<MeetingCorrections>(scope).CorrectAsync(leaderId, corrected, Category.Strategy, CancellationToken.None);
        }

        // An occurrence that arrives only now, with a new sync, gets the series' correction too.
        var arriving = new Meeting
        {
            Provider = CalendarProvider.Ics,
            ProviderId = "kestrel-week-3",
            Title = "Kestrel review",
            Start = Monday + Duration.FromDays(14),
            End = Monday + Duration.FromDays(14) + Duration.FromHours(1),
            IsRecurring = true,
            SeriesId = "s1",
        };
        var modelSaid = new MeetingLabel { Category = Category.Execution, Confidence = 0.9, DecidedBy = "m-test" };
        await using (var scope = host.Scope())
        {
            var writer = new CalendarPageWriter(ClassificationHost.Get<ExecutionTrapDbContext>(scope), host.Time);
            await writer.ApplyAsync(connectionId, new CalendarPage([arriving], [], "c1", IsLastPage: true, IsFullRead: false), [modelSaid], CancellationToken.None);
        }

        await using var check = host.Scope();
        var meetings = await ClassificationHost.Get<ExecutionTrapDbContext>(check).Meetings.AsNoTracking().ToDictionaryAsync(m => m.Id);
        Assert.Equal(1, result!.LaterOccurrences);
        Assert.Null(meetings[earlier].CorrectedCategory);
        Assert.Equal(Category.Strategy, meetings[corrected].CorrectedCategory);
        Assert.Equal(Category.Strategy, meetings[later].CorrectedCategory);
        Assert.Equal(Category.Strategy, meetings.Values.Single(m => m.ProviderId == "kestrel-week-3").ToLabel().Category);
    }

    [Fact]
    public async Task CorrectAsync_ReturnsNull_ForAnotherLeadersMeeting()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, connectionId) = await host.AddLeaderAsync();
        var (_, otherLeader, _) = await host.AddLeaderAsync(organisationId);
        var meeting = await host.AddMeetingAsync(connectionId, "Atlas weekly", Monday, Category.Execution);

        await using var scope = host.Scope();
        var result = await ClassificationHost.Get<MeetingCorrections>(scope).CorrectAsync(otherLeader, meeting, Category.Strategy, CancellationToken.None);

        Assert.Null(result);
    }

    private static async Task<WeekScore> ScoreAsync(ClassificationHost host, Guid leaderId)
    {
        await using var scope = host.Scope();
        var weeks = ClassificationHost.Get<LeaderWeeks>(scope);
        var scores = await weeks.ScoreAsync(leaderId, DateTimeZone.Utc, Week, Week, CancellationToken.None);
        return scores[0];
    }
}
