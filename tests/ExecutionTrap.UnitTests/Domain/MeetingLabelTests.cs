using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.UnitTests.Domain;

public sealed class MeetingLabelTests
{
    [Theory]
    [InlineData(0.49, true)] // below the line: pages say "not sure" instead of passing a guess off as an answer
    [InlineData(0.5, false)]
    [InlineData(0.93, false)]
    public void IsNotSure_IsTrue_WhenTheConfidenceIsBelowTheLine(double confidence, bool notSure)
    {
        var label = new MeetingLabel { Category = Category.Execution, Confidence = confidence, DecidedBy = "m-test" };

        Assert.Equal(notSure, label.IsNotSure());
    }

    [Fact]
    public void IsNotSure_IsFalse_WhenTheMeetingIsExcluded()
    {
        var label = MeetingLabel.ExcludedBy(ExclusionReason.NotAMeeting, "m-test") with { Confidence = 0.3 };

        Assert.False(label.IsNotSure());
    }
}
