using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Classification;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Classification;

public sealed class OrganisationClassifierTests
{
    private static readonly Instant Monday = Instant.FromUtc(2026, 11, 16, 9, 0);

    [Fact]
    public async Task ClassifyMany_LetsTheRuleWin_OverTheModel()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, _) = await host.AddLeaderAsync(isAdmin: true);
        ClassificationRule rule;
        await using (var scope = host.Scope())
        {
            rule = await ClassificationHost.Get<ClassificationRules>(scope).CreateAsync(
                organisationId, new RuleDraft(RulePatternKind.TitleContains, "bridge", Category.Strategy), "admin@example.com", CancellationToken.None);
        }

        var classifier = await host.Singleton<OrganisationClassifiers>().ForOrganisationAsync(organisationId, CancellationToken.None);
        var labels = classifier.ClassifyMany([Meeting("Sev1 bridge"), Meeting("Sev1 outage call")]);

        Assert.Equal(Category.Strategy, labels[0].Category);
        Assert.Equal($"rule:{rule.Id}", labels[0].DecidedBy);
        Assert.Equal(Category.Firefighting, labels[1].Category); // the rule does not match: the model decides
        Assert.Equal(classifier.ModelVersion, labels[1].DecidedBy);
    }

    [Fact]
    public async Task ClassifyMany_KeepsCalendarExclusions_OverRules()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, _) = await host.AddLeaderAsync(isAdmin: true);
        await using (var scope = host.Scope())
        {
            await ClassificationHost.Get<ClassificationRules>(scope).CreateAsync(
                organisationId, new RuleDraft(RulePatternKind.ProviderCategoryEquals, "Customer", Category.Execution), "admin@example.com", CancellationToken.None);
        }

        var classifier = await host.Singleton<OrganisationClassifiers>().ForOrganisationAsync(organisationId, CancellationToken.None);
        var declined = Meeting("Contoso visit") with { ProviderCategories = ["customer"], Response = ResponseStatus.Declined };
        var label = classifier.Classify(declined);

        Assert.Equal(ExclusionReason.Declined, label.Excluded);
    }

    [Fact]
    public async Task ForOrganisationAsync_UsesOnlyTheOrganisationsOwnRules()
    {
        await using var host = await ClassificationHost.StartAsync();
        var (organisationId, _, _) = await host.AddLeaderAsync(isAdmin: true);
        var (otherOrganisation, _, _) = await host.AddLeaderAsync(isAdmin: true);
        await using (var scope = host.Scope())
        {
            await ClassificationHost.Get<ClassificationRules>(scope).CreateAsync(
                otherOrganisation, new RuleDraft(RulePatternKind.TitleContains, "bridge", Category.Strategy), "admin@example.com", CancellationToken.None);
        }

        var classifier = await host.Singleton<OrganisationClassifiers>().ForOrganisationAsync(organisationId, CancellationToken.None);

        Assert.Empty(classifier.Rules);
        Assert.Equal(Category.Firefighting, classifier.Classify(Meeting("Sev1 bridge")).Category);
    }

    private static Meeting Meeting(string title) => new()
    {
        Provider = CalendarProvider.Ics,
        ProviderId = Guid.NewGuid().ToString("N"),
        Title = title,
        Start = Monday,
        End = Monday + Duration.FromHours(1),
        AttendeeCount = 6,
    };
}
