using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Classification;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Classification;

public sealed class ClassificationRulesTests
{
    private static readonly Instant LastWeek = ClassificationHost.Now - Duration.FromDays(6);

    [Fact]
    public async Task TestAsync_NeverCountsOrShowsPrivateOrSubGroupTitles_WhenFiveLeadersShareOneTitle()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, adminConnection) = await host.AddLeaderAsync(isAdmin: true);
        await host.AddMeetingAsync(adminConnection, "Board prep – Q1", LastWeek, Category.Execution);
        for (var i = 0; i < 4; i++)
        {
            var (_, _, colleague) = await host.AddLeaderAsync(organisationId);
            await host.AddMeetingAsync(colleague, "Board prep – Q1", LastWeek, Category.Execution);
        }

        var (_, _, otherConnection) = await host.AddLeaderAsync(organisationId);
        await host.AddMeetingAsync(otherConnection, "Board: confidential reorg", LastWeek, Category.Execution, isPrivate: true);
        await host.AddMeetingAsync(otherConnection, "Board: my own one", LastWeek, Category.Strategy);

        await using var scope = host.Scope();
        var result = await ClassificationHost.Get<ClassificationRules>(scope).TestAsync(
            organisationId, new RuleDraft(RulePatternKind.TitleContains, "board", Category.Strategy), CancellationToken.None);

        Assert.Equal(5, result.Examined);
        Assert.Equal(5, result.Matched);
        Assert.Equal(5, result.Changed);
        var shown = Assert.Single(result.Titles);
        Assert.Equal("Board prep – Q1", shown.Title);
        Assert.Equal(("execution", "strategy"), (shown.From, shown.To));
    }

    [Fact]
    public async Task TestAsync_LooksOnlyAtTheLastFourWeeksOfTheOrganisation()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, connection) = await host.AddLeaderAsync(isAdmin: true);
        var (_, _, strangerConnection) = await host.AddLeaderAsync();
        await host.AddMeetingAsync(connection, "Sev1 bridge", LastWeek, Category.Firefighting);
        await host.AddMeetingAsync(connection, "Sev1 bridge", ClassificationHost.Now - Duration.FromDays(40), Category.Firefighting);
        for (var i = 0; i < 4; i++)
        {
            var (_, _, colleague) = await host.AddLeaderAsync(organisationId);
            await host.AddMeetingAsync(colleague, "Sev1 bridge", LastWeek, Category.Firefighting);
        }

        await host.AddMeetingAsync(strangerConnection, "Sev1 bridge", LastWeek, Category.Firefighting);

        await using var scope = host.Scope();
        var result = await ClassificationHost.Get<ClassificationRules>(scope).TestAsync(
            organisationId, new RuleDraft(RulePatternKind.TitleRegex, "^sev\\d", null), CancellationToken.None);

        Assert.Equal(5, result.Changed);
        Assert.Equal(("firefighting", "not-a-meeting"), (result.Titles[0].From, result.Titles[0].To));
    }

    [Theory]
    [InlineData(RulePatternKind.TitleRegex, "([a-z]+", "not a valid regular expression")]
    [InlineData(RulePatternKind.TitleContains, "  ", "The pattern is empty")]
    public async Task CreateAsync_NamesTheProblem_WhenThePatternIsBad(RulePatternKind kind, string pattern, string expected)
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, _) = await host.AddLeaderAsync(isAdmin: true);

        await using var scope = host.Scope();
        var error = await Assert.ThrowsAsync<RuleRequestException>(() =>
            ClassificationHost.Get<ClassificationRules>(scope).CreateAsync(organisationId, new RuleDraft(kind, pattern, Category.Strategy), "admin@example.com", CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganisationOfAdminAsync_Refuses_ALeaderWhoIsNotAnAdmin()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (_, leaderId, _) = await host.AddLeaderAsync(isAdmin: false);

        await using var scope = host.Scope();
        var error = await Assert.ThrowsAsync<RuleRequestException>(() => ClassificationHost.Get<ClassificationRules>(scope).OrganisationOfAdminAsync(leaderId, CancellationToken.None));

        Assert.True(error.IsForbidden);
    }
}
