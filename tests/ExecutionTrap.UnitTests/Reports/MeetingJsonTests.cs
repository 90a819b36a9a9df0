using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Json;
using ExecutionTrap.UnitTests.Classification;

namespace ExecutionTrap.UnitTests.Reports;

public sealed class MeetingJsonTests
{
    [Theory]
    [InlineData(0.49, true)] // below the line: the JSON says "not sure" instead of passing a guess off as an answer
    [InlineData(0.5, false)]
    [InlineData(0.93, false)]
    public void From_SaysNotSure_WhenTheConfidenceIsBelowTheLine(double confidence, bool notSure)
    {
        var label = new MeetingLabel { Category = Category.Execution, Confidence = confidence, DecidedBy = "m-test" };

        var json = MeetingJson.From(new ScoredMeeting(new ClassifiedMeeting(TestMeetings.Titled("Vendor sync"), label), 30));

        Assert.Equal(notSure, json.NotSure);
    }

    [Fact]
    public void From_IsSure_WhenTheMeetingIsExcluded()
    {
        var label = MeetingLabel.ExcludedBy(ExclusionReason.NotAMeeting, "m-test") with { Confidence = 0.3 };

        var json = MeetingJson.From(new ScoredMeeting(new ClassifiedMeeting(TestMeetings.Titled("Lunch"), label), 0));

        Assert.False(json.NotSure);
    }
}
