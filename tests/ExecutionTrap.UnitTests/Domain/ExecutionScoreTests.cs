using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.UnitTests.Domain;

public sealed class ExecutionScoreTests
{
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    [Fact]
    public void ForWeek_SumsMinutesPerCategory_InAnOrdinaryWeek()
    {
        var meetings = new[]
        {
            Scored("status", "2026-11-16T09:00", 60, Category.Execution),
            Scored("1:1", "2026-11-17T10:00", 30, Category.PeopleDevelopment),
            Scored("strategy", "2026-11-18T13:00", 90, Category.Strategy),
            Scored("bridge", "2026-11-19T15:00", 45, Category.Firefighting),
        };

        var score = ExecutionScore.ForWeek(meetings, IsoWeek.Parse("2026-W47"), London);

        Assert.Equal(60, score.MinutesByCategory[Category.Execution]);
        Assert.Equal(30, score.MinutesByCategory[Category.PeopleDevelopment]);
        Assert.Equal(90, score.MinutesByCategory[Category.Strategy]);
        Assert.Equal(45, score.MinutesByCategory[Category.Firefighting]);
        Assert.Equal(0, score.MinutesByCategory[Category.Escalation]);
        Assert.Equal(225, score.ScoredMinutes);
        Assert.Equal(46.7, score.Score); // (60 + 45) / 225 = 46.67 %
    }

    [Fact]
    public void ForWeek_SharesOverlappingMinutesEqually_WhenMeetingsOverlap()
    {
        // 09:00-10:00 execution and 09:30-10:30 strategy: the shared half hour is split 15/15.
        var meetings = new[]
        {
            Scored("a", "2026-11-16T09:00", 60, Category.Execution),
            Scored("b", "2026-11-16T09:30", 60, Category.Strategy),
        };

        var score = ExecutionScore.ForWeek(meetings, IsoWeek.Parse("2026-W47"), London);

        Assert.Equal(45, score.MinutesByCategory[Category.Execution]);
        Assert.Equal(45, score.MinutesByCategory[Category.Strategy]);
        Assert.Equal(90, score.ScoredMinutes); // the union of the two, never more
        Assert.Equal(50.0, score.Score);
    }

    [Fact]
    public void ForWeek_NeverCountsMoreMinutesThanElapsed_WhenThreeMeetingsShareTenMinutes()
    {
        // Three identical 10-minute meetings: 3.33 minutes each, rounded so the total stays 10.
        var meetings = new[]
        {
            Scored("a", "2026-11-16T09:00", 10, Category.Execution),
            Scored("b", "2026-11-16T09:00", 10, Category.Escalation),
            Scored("c", "2026-11-16T09:00", 10, Category.Strategy),
        };

        var score = ExecutionScore.ForWeek(meetings, IsoWeek.Parse("2026-W47"), London);

        Assert.Equal(10, score.ScoredMinutes);
        Assert.All(score.Meetings, m => Assert.InRange(m.ScoredMinutes, 3, 4));
    }

    [Fact]
    public void ForWeek_GivesExcludedMeetingsNoMinutes_AndTheyTakeNoShareOfOverlaps()
    {
        var meetings = new[]
        {
            Scored("status", "2026-11-16T09:00", 60, Category.Execution),
            Excluded("lunch", "2026-11-16T09:00", 60, ExclusionReason.NotAMeeting),
            Excluded("declined", "2026-11-16T11:00", 60, ExclusionReason.Declined),
        };

        var score = ExecutionScore.ForWeek(meetings, IsoWeek.Parse("2026-W47"), London);

        Assert.Equal(60, score.ScoredMinutes);
        Assert.Equal(3, score.Meetings.Count);
        Assert.Equal(0, score.Meetings.Single(m => m.Meeting.Title == "lunch").ScoredMinutes);
        Assert.Equal(100.0, score.Score);
    }

    [Fact]
    public void ForWeek_UsesTheLeadersZone_ForTheWeekBoundaries()
    {
        // Sunday 23:30 UTC on 2026-11-22 is already Monday 08:30 in Tokyo (next week there).
        var meeting = Scored("late", "2026-11-22T23:30", 60, Category.Execution, zone: DateTimeZone.Utc);
        var tokyo = DateTimeZoneProviders.Tzdb["Asia/Tokyo"];

        var inUtc = ExecutionScore.ForWeek([meeting], IsoWeek.Parse("2026-W47"), DateTimeZone.Utc);
        var inTokyo = ExecutionScore.ForWeek([meeting], IsoWeek.Parse("2026-W48"), tokyo);

        Assert.Equal(60, inUtc.ScoredMinutes);
        Assert.Equal(60, inTokyo.ScoredMinutes);
    }

    [Theory]
    [InlineData("2026-W13")] // DST starts in Europe/London on Sunday 29 March 2026: the week has 167 hours
    [InlineData("2026-W43")] // DST ends in Europe/London on Sunday 25 October 2026: the week has 169 hours
    public void ForWeek_CountsLocalWallClockMeetings_InADstWeek(string weekText)
    {
        var week = IsoWeek.Parse(weekText);
        var sunday = week.Monday.PlusDays(6);
        // 01:00-03:00 local on the change night: one hour of it does not exist (spring) or repeats (autumn).
        var start = sunday.At(new LocalTime(0, 30)).InZoneLeniently(London).ToInstant();
        var end = sunday.At(new LocalTime(3, 30)).InZoneLeniently(London).ToInstant();
        var meeting = new ClassifiedMeeting(Meeting("night", start, end), new MeetingLabel { Category = Category.Firefighting, Confidence = 1 });

        var score = ExecutionScore.ForWeek([meeting], week, London);

        var expected = weekText == "2026-W13" ? 120 : 240;
        Assert.Equal(expected, score.ScoredMinutes);
        Assert.Equal(weekText == "2026-W13" ? Duration.FromHours(167) : Duration.FromHours(169), week.InZone(London).Duration);
    }

    [Fact]
    public void ForWeek_ReturnsNoScore_WhenNothingIsScored()
    {
        var score = ExecutionScore.ForWeek([Excluded("ooo", "2026-11-16T09:00", 480, ExclusionReason.OutOfOffice)], IsoWeek.Parse("2026-W47"), London);

        Assert.Null(score.Score);
        Assert.False(score.IsTrapped(40));
    }

    [Fact]
    public void IsTrapped_IsTrue_OnlyAboveTheTarget()
    {
        var score = ExecutionScore.ForWeek(
            [Scored("a", "2026-11-16T09:00", 40, Category.Execution), Scored("b", "2026-11-16T10:00", 60, Category.Strategy)],
            IsoWeek.Parse("2026-W47"),
            London);

        Assert.Equal(40.0, score.Score);
        Assert.False(score.IsTrapped(40));
        Assert.True(score.IsTrapped(39.9));
    }

    private static ClassifiedMeeting Scored(string title, string localStart, int minutes, Category category, DateTimeZone? zone = null)
    {
        var start = LocalDateTimePattern.GeneralIso.Parse(localStart + ":00").Value.InZoneLeniently(zone ?? London).ToInstant();
        return new ClassifiedMeeting(Meeting(title, start, start + Duration.FromMinutes(minutes)), new MeetingLabel { Category = category, Confidence = 0.9 });
    }

    private static ClassifiedMeeting Excluded(string title, string localStart, int minutes, ExclusionReason reason)
    {
        var start = LocalDateTimePattern.GeneralIso.Parse(localStart + ":00").Value.InZoneLeniently(London).ToInstant();
        return new ClassifiedMeeting(Meeting(title, start, start + Duration.FromMinutes(minutes)), MeetingLabel.ExcludedBy(reason, "metadata"));
    }

    private static Meeting Meeting(string title, Instant start, Instant end) => new()
    {
        Provider = CalendarProvider.Ics,
        ProviderId = title,
        Title = title,
        Start = start,
        End = end,
    };
}
