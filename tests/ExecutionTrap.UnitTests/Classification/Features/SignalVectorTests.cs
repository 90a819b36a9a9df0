using ExecutionTrap.Classification.Features;

namespace ExecutionTrap.UnitTests.Classification.Features;

public sealed class SignalVectorTests
{
    [Fact]
    public void Encode_GivesAllZeros_WhenNothingIsKnown()
    {
        var vector = SignalVector.Encode(MeetingSignals.Unknown, namesOnly: false);

        Assert.All(vector, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Encode_SetsTheRecurringPairFlag_ForTwoRecurringAttendees()
    {
        var vector = SignalVector.Encode(new MeetingSignals(Attendees: 2, Minutes: 30, Recurring: true), namesOnly: true);

        Assert.Equal(1, vector[^1]);
        Assert.Equal(1, vector[SignalVector.NamesOnlyIndex]);
    }

    [Fact]
    public void From_LeavesAttendeesUnknown_WhenAMeetingListsNone()
    {
        var signals = MeetingSignals.From(TestMeetings.Titled("Standup", attendees: 0, recurring: true));

        Assert.Null(signals.Attendees);
        Assert.Null(signals.ExternalAttendees);
        Assert.Equal(30, signals.Minutes);
        Assert.True(signals.Recurring);
    }
}
