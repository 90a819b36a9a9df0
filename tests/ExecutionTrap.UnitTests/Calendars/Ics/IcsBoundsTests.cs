using ExecutionTrap.Calendars.Ics;
using NodaTime;
using NodaTime.Text;
using static ExecutionTrap.UnitTests.Calendars.Ics.IcsFixtures;

namespace ExecutionTrap.UnitTests.Calendars.Ics;

/// <summary>Issue 12: a calendar cannot take a worker down, and one broken component costs no event.</summary>
public sealed class IcsBoundsTests
{
    private static readonly Interval January = Window("2026-01-05", "2026-01-12");

    [Fact]
    public void Parse_SkipsAndCountsSecondlyEvent_KeepingTheRest()
    {
        var text = Calendar(
            null,
            "UID:bomb\nSUMMARY:Bomb\nDTSTART:20260105T090000Z\nDTEND:20260105T091500Z\nRRULE:FREQ=SECONDLY",
            "UID:ok\nSUMMARY:Weekly\nDTSTART:20260105T100000Z\nDTEND:20260105T110000Z\nRRULE:FREQ=WEEKLY");

        var calendar = IcsCalendarParser.Parse(text, "b.ics");
        var expansion = calendar.Expand(January, null, IcsLimits.Default);

        Assert.Equal(1, calendar.SubMinuteEventsSkipped);
        Assert.Equal("Weekly", Assert.Single(expansion.Meetings).Title);
        Assert.True(expansion.IsCapped);
        Assert.Equal("calendar capped: 1 event recurring more often than once a minute skipped.", expansion.Warning);
    }

    [Fact]
    public void Expand_CutsASeries_AtThePerEventCap()
    {
        var text = Calendar(
            null,
            "UID:m\nSUMMARY:Every minute\nDTSTART:20260105T090000Z\nDTEND:20260105T090100Z\nRRULE:FREQ=MINUTELY",
            "UID:ok\nSUMMARY:Review\nDTSTART:20260106T100000Z\nDTEND:20260106T110000Z");

        var expansion = IcsCalendarParser.Parse(text, "m.ics").Expand(January, null, new IcsLimits(100, 1_000));

        Assert.Equal(100, expansion.Meetings.Count(m => m.Title == "Every minute"));
        Assert.Single(expansion.Meetings, m => m.Title == "Review");
        Assert.Equal(1, expansion.CappedEvents);
        Assert.Null(expansion.WindowCap);
        Assert.Equal("calendar capped: 1 recurring event cut at 100 occurrences.", expansion.Warning);
    }

    [Fact]
    public void Expand_StopsAtTheWindowCap_WhenManySeriesFillIt()
    {
        var events = Enumerable.Range(0, 30)
            .Select(i => $"UID:s{i}\nSUMMARY:Hourly {i}\nDTSTART:20260105T000000Z\nDTEND:20260105T001500Z\nRRULE:FREQ=HOURLY")
            .ToArray();

        var expansion = IcsCalendarParser.Parse(Calendar(null, events), "h.ics").Expand(January, null, new IcsLimits(2_000, 500));

        Assert.Equal(500, expansion.Meetings.Count);
        Assert.Equal(500, expansion.WindowCap);
        Assert.Contains("the read stopped at 500 meetings", expansion.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_KeepsTheWeeklyMeeting_WhenMinutelySeriesBeforeItInTheFileFillTheWindow()
    {
        var bombs = Enumerable.Range(0, 5)
            .Select(i => $"UID:b{i}\nSUMMARY:Bomb {i}\nDTSTART:20260105T000000Z\nDTEND:20260105T000100Z\nRRULE:FREQ=MINUTELY")
            .Append("UID:w\nSUMMARY:Weekly planning\nDTSTART:20260109T150000Z\nDTEND:20260109T160000Z\nRRULE:FREQ=WEEKLY")
            .ToArray();

        var expansion = IcsCalendarParser.Parse(Calendar(null, bombs), "b.ics").Expand(January, null, new IcsLimits(300, 1_000));

        Assert.Single(expansion.Meetings, m => m.Title == "Weekly planning");
        Assert.Equal(1_000, expansion.Meetings.Count);
        Assert.Equal(1_000, expansion.WindowCap);
    }

    [Fact]
    public void Expand_IsNotCapped_WhenEverythingFits()
    {
        var text = Calendar(null, "UID:d\nSUMMARY:Daily\nDTSTART:20260101T090000Z\nDTEND:20260101T091500Z\nRRULE:FREQ=DAILY");

        var expansion = IcsCalendarParser.Parse(text, "d.ics").Expand(January, null, IcsLimits.Default);

        Assert.Equal(7, expansion.Meetings.Count);
        Assert.False(expansion.IsCapped);
        Assert.Null(expansion.Warning);
    }

    [Theory]
    [InlineData("FREQ=MINUTELY;INTERVAL=7", 7 * 60)]
    [InlineData("FREQ=MINUTELY;INTERVAL=7;BYHOUR=9,10", 7 * 60)]
    [InlineData("FREQ=HOURLY;INTERVAL=5", 5 * 3600)]
    [InlineData("FREQ=HOURLY;INTERVAL=5;COUNT=100000", 5 * 3600)]
    public void Expand_ListsTheSameSteps_ForAMinutelyOrHourlySeriesThatBeganYearsAgo(string rule, int stepSeconds)
    {
        // DTSTART in 1990: walked step by step, millions of steps; moved forward, the same occurrences.
        var start = InstantPattern.General.Parse("1990-01-01T09:00:00Z").Value;
        var text = Calendar(null, $"UID:old\nSUMMARY:Old\nDTSTART:19900101T090000Z\nDTEND:19900101T090100Z\nRRULE:{rule}");

        var expansion = IcsCalendarParser.Parse(text, "o.ics").Expand(January, null, IcsLimits.Default);

        Assert.NotEmpty(expansion.Meetings);
        Assert.All(expansion.Meetings, m => Assert.Equal(0, (long)(m.Start - start).TotalSeconds % stepSeconds));
        Assert.All(expansion.Meetings, m => Assert.True(m.Start >= January.Start && m.Start < January.End));
        if (!rule.Contains("BYHOUR", StringComparison.Ordinal))
        {
            // Every step inside the window is listed: no step lost at either end.
            var first = expansion.Meetings[0].Start;
            Assert.True(first - January.Start < Duration.FromSeconds(stepSeconds));
            Assert.Equal(Enumerable.Range(0, expansion.Meetings.Count).Select(i => first + Duration.FromSeconds((long)i * stepSeconds)), expansion.Meetings.Select(m => m.Start));
        }
        else
        {
            Assert.All(expansion.Meetings, m => Assert.InRange(m.Start.InUtc().Hour, 9, 10));
        }
    }

    [Fact]
    public void Expand_EndsACountedMinutelySeries_WhereItsCountEnds()
    {
        // 1990-01-01 09:00 + (COUNT - 1) × 10 min: the last step falls on Wednesday 7 January 2026.
        var steps = (long)(InstantPattern.General.Parse("2026-01-07T09:00:00Z").Value - InstantPattern.General.Parse("1990-01-01T09:00:00Z").Value).TotalMinutes / 10;
        var text = Calendar(null, $"UID:c\nSUMMARY:Counted\nDTSTART:19900101T090000Z\nDTEND:19900101T090100Z\nRRULE:FREQ=MINUTELY;INTERVAL=10;COUNT={steps + 1}");

        var expansion = IcsCalendarParser.Parse(text, "c.ics").Expand(January, null, new IcsLimits(100_000, 100_000));

        Assert.Equal("2026-01-07T09:00:00Z", InstantPattern.General.Format(expansion.Meetings[^1].Start));
        Assert.Equal(2 * 144 + 54 + 1, expansion.Meetings.Count);
    }

    [Fact]
    public void Expand_NumbersThousandsOfDuplicateUids_InLinearTime()
    {
        var events = Enumerable.Range(0, 20_000)
            .Select(i => $"UID:same\nSUMMARY:Copy {i}\nDTSTART:20260106T{9 + (i % 8):00}0000Z\nDTEND:20260106T{9 + (i % 8):00}3000Z")
            .ToArray();
        var calendar = IcsCalendarParser.Parse(Calendar(null, events), "dup.ics");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var meetings = calendar.Expand(January, null, new IcsLimits(2_000, 100_000)).Meetings;

        Assert.Equal(20_000, meetings.Select(m => m.ProviderId).Distinct(StringComparer.Ordinal).Count());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    public static TheoryData<string, string> BrokenComponents() => new()
    {
        // Ical.Net throws NotImplementedException on TRIGGER;VALUE=TIME and refused the whole file.
        { "alarm with an invalid trigger", "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;VALUE=TIME:120000\r\nEND:VALARM\r\n" },
        { "unclosed to-do", "BEGIN:VTODO\r\nUID:t\r\nSUMMARY:Never closed\r\n" },
        { "misspelt to-do end", "BEGIN:VTODO\r\nUID:t\r\nSUMMARY:Typo\r\nEND:VTOD\r\n" },
        { "misspelt to-do begin", "BEGIN:VTOOD\r\nUID:t\r\nSUMMARY:Typo\r\nEND:VTODO\r\n" },
        { "unclosed journal", "BEGIN:VJOURNAL\r\nUID:j\r\nDTSTART:BROKEN\r\n" },
        { "unknown component", "BEGIN:X-VENDOR-THING\r\nFOO;BAR:\r\nBEGIN:VWHATEVER\r\nEND:X-VENDOR-THING\r\n" },
        { "free/busy with a bad period", "BEGIN:VFREEBUSY\r\nFREEBUSY:not-a-period\r\nEND:VFREEBUSY\r\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenComponents))]
    public void Parse_KeepsEveryEvent_WhenAnotherComponentIsBroken(string what, string broken)
    {
        var alarm = what.StartsWith("alarm", StringComparison.Ordinal);
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n"
            + "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:First\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\n" + (alarm ? broken : "") + "END:VEVENT\r\n"
            + (alarm ? "" : broken)
            + "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Second\r\nDTSTART:20260106T090000Z\r\nDTEND:20260106T100000Z\r\nEND:VEVENT\r\n"
            + "END:VCALENDAR\r\n";

        var meetings = IcsCalendarParser.Parse(text, "x.ics").Expand(January);

        Assert.Equal(["First", "Second"], meetings.Select(m => m.Title));
    }

    [Fact]
    public void Parse_KeepsEveryEvent_WhenATitleHoldsANulCharacter() // Ical.Net refused the whole file over one NUL
    {
        var text = Calendar(
            null,
            "UID:n\nSUMMARY:Budget\0review\nDTSTART:20260105T090000Z\nDTEND:20260105T100000Z",
            "UID:ok\nSUMMARY:Weekly\nDTSTART:20260106T100000Z\nDTEND:20260106T110000Z");

        var meetings = IcsCalendarParser.Parse(text, "n.ics").Expand(January);

        Assert.Equal(["Budgetreview", "Weekly"], meetings.Select(m => m.Title));
    }

    [Fact]
    public void Expand_RemovesThatDaysOccurrence_WhenExdateIsADate()
    {
        var text = Calendar(
            "Europe/London",
            "UID:d\nSUMMARY:Stand-up\nDTSTART;TZID=Europe/London:20260105T093000\nDTEND;TZID=Europe/London:20260105T094500\nRRULE:FREQ=DAILY;COUNT=5\nEXDATE;VALUE=DATE:20260107");

        var meetings = IcsCalendarParser.Parse(text, "e.ics").Expand(January);

        Assert.Equal(["2026-01-05T09:30:00Z", "2026-01-06T09:30:00Z", "2026-01-08T09:30:00Z", "2026-01-09T09:30:00Z"], meetings.Select(m => InstantPattern.General.Format(m.Start)));
        Assert.All(meetings, m => Assert.False(m.IsAllDay));
    }

    [Fact]
    public void Expand_AddsThatDaysOccurrenceAtTheEventsTime_WhenRdateIsADate()
    {
        var text = Calendar(
            "Europe/London",
            "UID:r\nSUMMARY:Review\nDTSTART;TZID=Europe/London:20260105T140000\nDTEND;TZID=Europe/London:20260105T150000\nRRULE:FREQ=WEEKLY;COUNT=1\nRDATE;VALUE=DATE:20260108");

        var meetings = IcsCalendarParser.Parse(text, "r.ics").Expand(January);

        Assert.Equal(["2026-01-05T14:00:00Z", "2026-01-08T14:00:00Z"], meetings.Select(m => InstantPattern.General.Format(m.Start)));
        Assert.All(meetings, m => Assert.Equal(Duration.FromHours(1), m.Duration));
        Assert.All(meetings, m => Assert.False(m.IsAllDay));
    }

    private static Interval Window(string from, string to) =>
        new(LocalDatePattern.Iso.Parse(from).Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(),
            LocalDatePattern.Iso.Parse(to).Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());
}
