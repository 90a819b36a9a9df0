using ExecutionTrap.Classification;
using ExecutionTrap.Classification.Features;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.UnitTests.Classification;

public sealed class MeetingClassifierTests(BuiltInClassifierFixture fixture) : IClassFixture<BuiltInClassifierFixture>
{
    private readonly MeetingClassifier _classifier = fixture.Classifier;

    [Theory]
    [InlineData("Sev1 bridge", 0, false, Category.Firefighting)]
    [InlineData("1:1 Ana / Ben", 2, true, Category.PeopleDevelopment)]
    [InlineData("Q3 strategy offsite", 0, false, Category.Strategy)]
    [InlineData("Escalation: Acme contract", 0, false, Category.Escalation)]
    [InlineData("Weekly status Project Atlas", 0, false, Category.Execution)]
    [InlineData("Ana <> Ben", 2, true, Category.PeopleDevelopment)] // names only: a 1:1 by the label guide
    [InlineData("RE: Updated invitation: Sprint planning", 0, false, Category.Execution)] // mail prefixes are noise
    public void Classify_GivesTheCategory_WhenTheTitleIsClear(string title, int attendees, bool recurring, Category expected)
    {
        var meeting = TestMeetings.Titled(title, attendees, recurring);

        var label = _classifier.Classify(meeting);

        Assert.Equal(expected, label.Category);
        Assert.Null(label.Excluded);
        Assert.InRange(label.Confidence, 0.5, 1);
        Assert.Equal(_classifier.ModelVersion, label.DecidedBy);
    }

    [Fact]
    public void Classify_ExcludesAsNotAMeeting_WhenTheModelSaysExcluded()
    {
        var meeting = TestMeetings.Titled("Lunch");

        var label = _classifier.Classify(meeting);

        Assert.Null(label.Category);
        Assert.Equal(ExclusionReason.NotAMeeting, label.Excluded);
        Assert.False(label.IsScored);
        Assert.Equal(_classifier.ModelVersion, label.DecidedBy);
    }

    [Fact]
    public void Classify_AppliesMetadataFirst_WhenTheTitleWouldBeScored()
    {
        var meeting = TestMeetings.Titled("Sev1 bridge") with { Response = ResponseStatus.Declined, IsAllDay = true };

        var label = _classifier.Classify(meeting);

        Assert.Equal(ExclusionReason.Declined, label.Excluded);
        Assert.Equal(MeetingClassifier.MetadataDecider, label.DecidedBy);
        Assert.Equal(1, label.Confidence);
    }

    [Fact]
    public void Classify_GivesPeopleDevelopment_WhenAVagueTitleHasTwoRecurringAttendees()
    {
        var meeting = TestMeetings.Titled("Catch up", attendees: 2, recurring: true);

        var label = _classifier.Classify(meeting);

        Assert.Equal(Category.PeopleDevelopment, label.Category);
        Assert.Equal(MeetingClassifier.VagueTitleDecider, label.DecidedBy);
    }

    [Theory]
    [InlineData("Meeting", 6, true)]
    [InlineData("Call", 2, false)] // two people but one-off: not the 1:1 pattern
    [InlineData("Sync", 0, false)]
    [InlineData("FW: Catch-up", 3, true)]
    public void Classify_GivesExecutionWithLowConfidence_WhenATitleSaysNothing(string title, int attendees, bool recurring)
    {
        var meeting = TestMeetings.Titled(title, attendees, recurring);

        var label = _classifier.Classify(meeting);

        Assert.Equal(Category.Execution, label.Category);
        Assert.True(label.Confidence <= 0.5);
        Assert.True(_classifier.IsUncertain(label));
    }

    [Fact]
    public void ClassifyMany_AgreesWithClassify_ForEveryMeeting()
    {
        var meetings = new[]
        {
            TestMeetings.Titled("Sev1 bridge"),
            TestMeetings.Titled("Lunch") with { IsCancelled = true },
            TestMeetings.Titled("Catch up", 2, recurring: true),
            TestMeetings.Titled("Roadmap review 2027", 8),
            TestMeetings.Titled("Zhouyu 1-1", 2, recurring: true),
        };

        var many = _classifier.ClassifyMany(meetings);

        Assert.Equal(meetings.Select(m => Summary(_classifier.Classify(m))), many.Select(Summary));
    }

    [Fact]
    public void Classify_NamesTheDrivingWords_WhenExplaining()
    {
        var meeting = TestMeetings.Titled("Sev1 bridge");

        var label = _classifier.Classify(meeting, explain: true);

        Assert.InRange(label.Evidence.Count, 1, 5);
        Assert.Contains(label.Evidence[0], new[] { "'bridge'", "'sev1'" });
    }

    [Fact]
    public void Classify_GivesNoEvidence_WhenNotExplaining()
    {
        var meeting = TestMeetings.Titled("Sev1 bridge");

        var label = _classifier.Classify(meeting);

        Assert.Empty(label.Evidence);
    }

    [Fact]
    public void Classify_NamesTheSignals_WhenTheyDecideANamesOnlyTitle()
    {
        var label = _classifier.ClassifyTitle("Ana / Ben", new MeetingSignals(Attendees: 2, Recurring: true), explain: true);

        Assert.Equal(Category.PeopleDevelopment, label.Category);
        Assert.Contains(label.Evidence, e => e.Contains("names-only", StringComparison.Ordinal) || e.Contains("2 attendees", StringComparison.Ordinal) || e is "'ana'" or "'ben'");
    }

    [Fact]
    public void ClassifyTitle_AnswersFromMemory_WhenTheTitleWasSeenBefore()
    {
        var first = _classifier.ClassifyTitle("Quarterly vendor review – Kestrel", MeetingSignals.Unknown);

        var again = _classifier.ClassifyTitle("Quarterly vendor review – Kestrel", MeetingSignals.Unknown);
        var explained = _classifier.ClassifyTitle("Quarterly vendor review – Kestrel", MeetingSignals.Unknown, explain: true);

        Assert.Same(first, again);
        Assert.Equal(first.Category, explained.Category);
        Assert.NotEmpty(explained.Evidence); // explanations are never served from the cache, which holds none
    }

    [Fact]
    public void ModelVersion_IsAShortContentHash()
    {
        var version = _classifier.ModelVersion;

        Assert.Matches("^m-[0-9a-f]{10}$", version);
    }

    [Fact]
    public void Classify_GivesTheSameAnswer_FromManyThreads()
    {
        var meeting = TestMeetings.Titled("Quarterly planning offsite");
        var expected = _classifier.Classify(meeting);

        var labels = Enumerable.Range(0, 64).AsParallel().WithDegreeOfParallelism(4).Select(_ => _classifier.Classify(meeting)).ToList();

        Assert.All(labels, l => Assert.Equal(Summary(expected), Summary(l)));
    }

    private static (Category?, ExclusionReason?, double, string, string) Summary(MeetingLabel label) =>
        (label.Category, label.Excluded, label.Confidence, label.DecidedBy, string.Join("|", label.Evidence));
}
