using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Meetings;
using NodaTime;
using NodaTime.Text;
using static ExecutionTrap.UnitTests.Calendars.Ics.IcsFixtures;

namespace ExecutionTrap.UnitTests.Calendars.Ics;

public sealed class IcsCalendarTests
{
    private const string Owner = "Leader@Example.com";

    [Fact]
    public void Expand_ReplacesOccurrence_WithOverrideListedBeforeItsMaster()
    {
        // Google lists the moved instance (RECURRENCE-ID 31 Dec) before the monthly master.
        var calendar = IcsCalendarParser.Parse(Read(GoogleMovedInstance), GoogleMovedInstance);

        var meetings = calendar.Expand(Window("2021-11-01", "2022-02-01"));

        Assert.Equal(
            ["2021-11-26T20:30:00Z", "2021-12-17T20:30:00Z", "2022-01-28T20:30:00Z"],
            meetings.Select(m => Format(m.Start)));
        const string uid = "38m812jicsrer5gorh3mlp7qhc@google.com";
        Assert.Equal(
            [$"{uid}/20211126T203000Z", $"{uid}/20211231T203000Z", $"{uid}/20220128T203000Z"],
            meetings.Select(m => m.ProviderId));
        Assert.All(meetings, m =>
        {
            Assert.True(m.IsRecurring);
            Assert.Equal(uid, m.SeriesId);
            Assert.Equal("Karaoke", m.Title);
            Assert.Equal(ShowAs.Free, m.ShowAs); // TRANSP:TRANSPARENT
            Assert.Equal(m.Start, m.End); // DTEND equal to DTSTART, and no DTEND on the override: zero length
            Assert.StartsWith("Jeden letzten Freitag im Monat", m.DescriptionPreview, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Expand_MovesOverrideOut_WhenItsNewDateLeavesTheWindow()
    {
        var calendar = IcsCalendarParser.Parse(Read(GoogleMovedInstance), GoogleMovedInstance);

        var meetings = calendar.Expand(Window("2021-12-24", "2022-01-07"));

        // The 31 Dec occurrence moved to 17 Dec, outside this window: nothing is left in it.
        Assert.Empty(meetings);
    }

    [Fact]
    public void Expand_ExpandsAllDaySeries_WithWindowsZoneAndDateTimeRecurrenceIds()
    {
        // Exchange writes RECURRENCE-ID;TZID=GMT Standard Time:…T000000 for an all-day (DATE) series.
        var calendar = IcsCalendarParser.Parse(Read(Exchange2010), Exchange2010);

        var meetings = calendar.Expand(Window("2020-04-01", "2020-05-01"));

        Assert.Equal(
            [
                ("Refuse black bin", "2020-04-01T23:00:00Z"),
                ("Blue Recycle bin", "2020-04-08T23:00:00Z"),
                ("Refuse black bin", "2020-04-16T23:00:00Z"), // moved from Thursday 16th to Friday 17th
                ("Blue Recycle bin", "2020-04-22T23:00:00Z"),
                ("Refuse black bin", "2020-04-29T23:00:00Z"),
            ],
            meetings.Select(m => (m.Title, Format(m.Start))));
        var moved = meetings[2];
        Assert.Equal(
            "040000008200E00074C5B7101A82E00800000000017E1BADC42ED601000000000000000010000000FBF1FBAE2E9FBC4D81F16854E2F4D51B/20200415T230000Z",
            moved.ProviderId);
        Assert.All(meetings, m =>
        {
            Assert.True(m.IsAllDay);
            Assert.Equal(Duration.FromDays(1), m.Duration); // midnight to midnight in Europe/London
            Assert.Equal(ShowAs.Free, m.ShowAs); // X-MICROSOFT-CDO-BUSYSTATUS:FREE
            Assert.True(m.IsRecurring);
            Assert.Null(m.DescriptionPreview); // DESCRIPTION:\n is no description
        });
    }

    [Fact]
    public void Expand_ReplacesOverriddenOccurrences_AndKeepsLastDay_WhenAllDaySeriesEndsAtUtcUntil()
    {
        // UNTIL=20200916T230000Z on an all-day series is midnight starting 17 September in London:
        // the last occurrence is on the 17th.
        var calendar = IcsCalendarParser.Parse(Read(Exchange2010), Exchange2010);

        var black = calendar.Expand(Window("2020-03-01", "2020-12-01")).Where(m => m.Title == "Refuse black bin").ToList();

        Assert.Equal(
            ["2020-04-02", "2020-04-17", "2020-04-30", "2020-05-14", "2020-05-29", "2020-06-11", "2020-06-25",
             "2020-07-09", "2020-07-23", "2020-08-06", "2020-08-20", "2020-09-04", "2020-09-17"],
            black.Select(m => m.Start.InZone(DateTimeZoneProviders.Tzdb["Europe/London"]).Date.ToString("uuuu-MM-dd", null)));
        Assert.Equal(black.Count, black.Select(m => m.ProviderId).Distinct().Count());
    }

    [Fact]
    public void Expand_KeepsLocalTime_ForBiweeklySeriesInQuotedTzidAcrossDst()
    {
        // TZID="Europe/Warsaw" is quoted; Poland moved to summer time on 30 March 2008.
        var calendar = IcsCalendarParser.Parse(Read(Outlook11), Outlook11);

        var meetings = calendar.Expand(Window("2008-03-10", "2008-04-30"), ownerEmail: "MAJK@majk.com");

        Assert.Equal(
            ["2008-03-13T16:00:00Z", "2008-03-27T16:00:00Z", "2008-04-10T15:00:00Z", "2008-04-24T15:00:00Z"],
            meetings.Select(m => Format(m.Start)));
        Assert.All(meetings, m =>
        {
            Assert.Equal("NIP", m.Title);
            Assert.Equal(Duration.FromMinutes(30), m.Duration);
            Assert.True(m.IsOrganizer);
            Assert.Equal(ResponseStatus.Organizer, m.Response);
            Assert.Equal(1, m.AttendeeCount);
            Assert.Equal(ShowAs.Busy, m.ShowAs);
            Assert.StartsWith("040000008200E00074C5B7101A82E00800000000203BC100BE99CA01", m.ProviderId, StringComparison.Ordinal);
        });
        Assert.EndsWith("/20080313T160000Z", meetings[0].ProviderId, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_ReadsSingleUtcEvent_FromOutlookExportWithWindowsZone()
    {
        var calendar = IcsCalendarParser.Parse(Read(Outlook12), Outlook12);

        var meeting = Assert.Single(calendar.Expand(Window("2008-01-01", "2008-02-01")));

        Assert.Equal("7WBi8EjfdkCM+BY+z9tdhA==", meeting.ProviderId);
        Assert.Equal("Busy", meeting.Title);
        Assert.Equal("2008-01-17T23:30:00Z", Format(meeting.Start));
        Assert.Equal("2008-01-18T02:30:00Z", Format(meeting.End));
        Assert.Equal(CalendarProvider.Ics, meeting.Provider);
        Assert.Equal(ShowAs.Busy, meeting.ShowAs);
        Assert.False(meeting.IsRecurring);
        Assert.Null(meeting.SeriesId);
        Assert.False(meeting.IsAllDay);
    }

    [Fact]
    public void Expand_ReadsSampleLeaderMonth_IncidentWeek()
    {
        var calendar = IcsCalendarParser.Parse(ReadRepoFile("samples/leader-month.ics"), "samples/leader-month.ics");
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var week = new Interval(
            new LocalDate(2026, 11, 9).AtStartOfDayInZone(london).ToInstant(),
            new LocalDate(2026, 11, 16).AtStartOfDayInZone(london).ToInstant());

        var meetings = calendar.Expand(week, "dana@example.com");

        Assert.Equal("Europe/London", calendar.TimeZone?.Id);
        Assert.Equal(meetings.Count, meetings.Select(m => m.ProviderId).Distinct().Count());
        Assert.True(Assert.Single(meetings, m => m.ProviderId == "rec-1on1-tomas@example.com/20261111T110000Z").IsCancelled); // its override is cancelled: listed as such
        var usSync = Assert.Single(meetings, m => m.SeriesId == "rec-atlas-us-uk-sync@example.com");
        Assert.Equal("2026-11-11T14:30:00Z", Format(usSync.Start)); // 09:30 in New York
        Assert.Equal(ResponseStatus.Accepted, usSync.Response);
        Assert.Equal(7, usSync.AttendeeCount);
        var oneToOne = Assert.Single(meetings, m => m.SeriesId == "rec-1on1-sam@example.com");
        Assert.True(oneToOne.IsOrganizer);
    }

    [Theory]
    [InlineData("Europe/London")]
    [InlineData("GMT Standard Time")] // the Windows id for the same zone
    [InlineData("\"Europe/London\"")] // quoted
    public void Expand_KeepsNineOClockLocal_WhenWeeklySeriesCrossesDstStart(string tzId)
    {
        // DST starts in Europe/London on 29 March 2026: 09:00 local is 09:00Z before, 08:00Z after.
        var text = Calendar(null, $"UID:weekly\nSUMMARY:Leadership sync\nDTSTART;TZID={tzId}:20260316T090000\nDTEND;TZID={tzId}:20260316T100000\nRRULE:FREQ=WEEKLY;BYDAY=MO");

        var meetings = IcsCalendarParser.Parse(text, "dst.ics").Expand(Window("2026-03-16", "2026-04-07"));

        Assert.Equal(
            ["2026-03-16T09:00:00Z", "2026-03-23T09:00:00Z", "2026-03-30T08:00:00Z", "2026-04-06T08:00:00Z"],
            meetings.Select(m => Format(m.Start)));
        Assert.Equal(
            ["weekly/20260316T090000Z", "weekly/20260323T090000Z", "weekly/20260330T080000Z", "weekly/20260406T080000Z"],
            meetings.Select(m => m.ProviderId));
        Assert.All(meetings, m => Assert.Equal(Duration.FromHours(1), m.Duration));
    }

    [Fact]
    public void Expand_SkipsExceptionDates()
    {
        var text = Calendar(
            "Europe/London",
            "UID:daily\nSUMMARY:Standup\nDTSTART;TZID=Europe/London:20260105T093000\nDURATION:PT15M\nRRULE:FREQ=DAILY;COUNT=5\nEXDATE;TZID=Europe/London:20260106T093000,20260108T093000");

        var meetings = IcsCalendarParser.Parse(text, "ex.ics").Expand(Window("2026-01-01", "2026-02-01"));

        Assert.Equal(["2026-01-05T09:30:00Z", "2026-01-07T09:30:00Z", "2026-01-09T09:30:00Z"], meetings.Select(m => Format(m.Start)));
    }

    [Fact]
    public void Expand_ListsOccurrenceAsCancelled_WhenItsOverrideIsCancelled()
    {
        var text = Calendar(
            null,
            "UID:sync\nSUMMARY:1:1\nDTSTART:20260105T140000Z\nDTEND:20260105T143000Z\nRRULE:FREQ=WEEKLY;COUNT=3",
            "UID:sync\nSUMMARY:1:1\nRECURRENCE-ID:20260112T140000Z\nDTSTART:20260112T140000Z\nDTEND:20260112T143000Z\nSTATUS:CANCELLED");

        var meetings = IcsCalendarParser.Parse(text, "c.ics").Expand(Window("2026-01-01", "2026-02-01"));

        // Listed, as the CLI contract says (excluded `cancelled`), in place of the occurrence it removes.
        Assert.Equal(["sync/20260105T140000Z", "sync/20260112T140000Z", "sync/20260119T140000Z"], meetings.Select(m => m.ProviderId));
        Assert.Equal([false, true, false], meetings.Select(m => m.IsCancelled));
    }

    [Fact]
    public void Expand_KeepsOverrideId_WhenOverrideMovesAndRetitlesOccurrence()
    {
        var text = Calendar(
            null,
            "UID:sync\nSUMMARY:Weekly review\nDTSTART:20260105T140000Z\nDTEND:20260105T150000Z\nRRULE:FREQ=WEEKLY;COUNT=3",
            "UID:sync\nSUMMARY:Weekly review (moved)\nRECURRENCE-ID:20260112T140000Z\nDTSTART:20260113T160000Z\nDTEND:20260113T163000Z");

        var meetings = IcsCalendarParser.Parse(text, "m.ics").Expand(Window("2026-01-01", "2026-02-01"));

        var moved = Assert.Single(meetings, m => m.ProviderId == "sync/20260112T140000Z");
        Assert.Equal("Weekly review (moved)", moved.Title);
        Assert.Equal("2026-01-13T16:00:00Z", Format(moved.Start));
        Assert.Equal(Duration.FromMinutes(30), moved.Duration);
        Assert.Equal(3, meetings.Count);
    }

    [Fact]
    public void Expand_MarksSingleCancelledEvent_AsCancelled()
    {
        var text = Calendar(null, "UID:c\nSUMMARY:Offsite\nDTSTART:20260105T090000Z\nDTEND:20260105T170000Z\nSTATUS:CANCELLED");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "c.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.True(meeting.IsCancelled);
        Assert.Equal("c", meeting.ProviderId);
    }

    [Theory]
    [InlineData("DECLINED", ResponseStatus.Declined)]
    [InlineData("ACCEPTED", ResponseStatus.Accepted)]
    [InlineData("TENTATIVE", ResponseStatus.Tentative)]
    [InlineData("NEEDS-ACTION", ResponseStatus.NotResponded)]
    public void Expand_TakesOwnersAnswer_FromTheirAttendeeEntry(string partStat, ResponseStatus expected)
    {
        var text = Calendar(
            null,
            $"UID:r\nSUMMARY:Quarterly planning\nDTSTART:20260105T090000Z\nDTEND:20260105T100000Z\nORGANIZER;CN=Boss:mailto:boss@example.com\nATTENDEE;PARTSTAT={partStat}:MAILTO:leader@EXAMPLE.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:peer@example.com");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "r.ics").Expand(Window("2026-01-01", "2026-02-01"), Owner));

        Assert.Equal(expected, meeting.Response);
        Assert.False(meeting.IsOrganizer);
        Assert.Equal(3, meeting.AttendeeCount);
    }

    [Fact]
    public void Expand_TreatsOwnerWithoutPartstat_AsNotResponded()
    {
        // RFC 5545: an ATTENDEE without PARTSTAT has not answered.
        var text = Calendar(null, "UID:r\nDTSTART:20260105T090000Z\nORGANIZER:mailto:boss@example.com\nATTENDEE:mailto:leader@example.com");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "r.ics").Expand(Window("2026-01-01", "2026-02-01"), Owner));

        Assert.Equal(ResponseStatus.NotResponded, meeting.Response);
    }

    [Fact]
    public void Expand_HasNoResponse_WhenOwnerIsUnknownOrNotInvited()
    {
        var text = Calendar(null, "UID:r\nDTSTART:20260105T090000Z\nATTENDEE;PARTSTAT=DECLINED:mailto:someone@example.com");
        var calendar = IcsCalendarParser.Parse(text, "r.ics");

        var withoutOwner = Assert.Single(calendar.Expand(Window("2026-01-01", "2026-02-01")));
        var withOwner = Assert.Single(calendar.Expand(Window("2026-01-01", "2026-02-01"), Owner));

        Assert.Equal(ResponseStatus.None, withoutOwner.Response);
        Assert.Equal(ResponseStatus.None, withOwner.Response);
    }

    [Fact]
    public void Expand_MarksOwnerAsOrganizer_AndPrefersTheirOwnAnswer()
    {
        var organizing = Calendar(null, "UID:o\nDTSTART:20260105T090000Z\nORGANIZER:mailto:leader@example.com\nATTENDEE:mailto:report@example.com");
        var answered = Calendar(null, "UID:o\nDTSTART:20260105T090000Z\nORGANIZER:mailto:leader@example.com\nATTENDEE;PARTSTAT=ACCEPTED:mailto:leader@example.com\nATTENDEE:mailto:report@example.com");

        var organizer = Assert.Single(IcsCalendarParser.Parse(organizing, "o.ics").Expand(Window("2026-01-01", "2026-02-01"), Owner));
        var accepted = Assert.Single(IcsCalendarParser.Parse(answered, "o.ics").Expand(Window("2026-01-01", "2026-02-01"), Owner));

        Assert.True(organizer.IsOrganizer);
        Assert.Equal(ResponseStatus.Organizer, organizer.Response);
        Assert.True(accepted.IsOrganizer);
        Assert.Equal(ResponseStatus.Accepted, accepted.Response);
        Assert.Equal(2, organizer.AttendeeCount); // the organizer counts though not listed
        Assert.Equal(2, accepted.AttendeeCount); // listed twice, counted once
    }

    [Fact]
    public void Expand_CountsPeopleOnly_NotRoomsOrResources()
    {
        var text = Calendar(
            null,
            "UID:a\nDTSTART:20260105T090000Z\nORGANIZER:mailto:boss@example.com\nATTENDEE;CUTYPE=ROOM:mailto:boardroom@example.com\nATTENDEE;CUTYPE=RESOURCE:mailto:projector@example.com\nATTENDEE;CUTYPE=INDIVIDUAL:mailto:boss@example.com\nATTENDEE:mailto:leader@example.com\nATTENDEE:mailto:partner@supplier.test");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "a.ics").Expand(Window("2026-01-01", "2026-02-01"), Owner));

        Assert.Equal(3, meeting.AttendeeCount);
        Assert.True(meeting.HasExternalAttendees);
    }

    [Fact]
    public void Expand_CountsOnePerson_WhenEventHasNoAttendees()
    {
        var text = Calendar(null, "UID:a\nDTSTART:20260105T090000Z\nSUMMARY:Focus");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "a.ics").Expand(Window("2026-01-01", "2026-02-01"), Owner));

        Assert.Equal(1, meeting.AttendeeCount);
        Assert.False(meeting.HasExternalAttendees);
        Assert.Equal(ResponseStatus.None, meeting.Response);
    }

    [Theory]
    [InlineData("TRANSP:TRANSPARENT", ShowAs.Free)]
    [InlineData("TRANSP:OPAQUE", ShowAs.Busy)]
    [InlineData("X-MICROSOFT-CDO-BUSYSTATUS:FREE", ShowAs.Free)]
    [InlineData("X-MICROSOFT-CDO-BUSYSTATUS:OOF", ShowAs.OutOfOffice)]
    [InlineData("X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE", ShowAs.Tentative)]
    [InlineData("X-MICROSOFT-CDO-BUSYSTATUS:WORKINGELSEWHERE", ShowAs.WorkingElsewhere)]
    [InlineData("X-MICROSOFT-CDO-BUSYSTATUS:BUSY\nTRANSP:TRANSPARENT", ShowAs.Busy)] // Outlook's own status wins
    [InlineData("SUMMARY:Plain", ShowAs.Busy)]
    public void Expand_MapsShowAs(string lines, ShowAs expected)
    {
        var text = Calendar(null, $"UID:s\nDTSTART:20260105T090000Z\n{lines}");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "s.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.Equal(expected, meeting.ShowAs);
    }

    [Theory]
    [InlineData("CLASS:PRIVATE", true)]
    [InlineData("CLASS:CONFIDENTIAL", true)]
    [InlineData("CLASS:PUBLIC", false)]
    [InlineData("SUMMARY:No class", false)]
    public void Expand_MarksPrivateAndConfidential_AsPrivate(string line, bool expected)
    {
        var text = Calendar(null, $"UID:p\nDTSTART:20260105T090000Z\n{line}");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "p.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.Equal(expected, meeting.IsPrivate);
    }

    [Fact]
    public void Expand_StartsAllDayEvent_AtMidnightInCalendarZone()
    {
        // 29 March 2026 is the day DST starts in Europe/London: the all-day event lasts 23 hours.
        var text = Calendar("Europe/London", "UID:d\nSUMMARY:Company holiday\nDTSTART;VALUE=DATE:20260329\nDTEND;VALUE=DATE:20260330");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "d.ics").Expand(Window("2026-03-23", "2026-04-06")));

        Assert.True(meeting.IsAllDay);
        Assert.Equal("2026-03-29T00:00:00Z", Format(meeting.Start));
        Assert.Equal("2026-03-29T23:00:00Z", Format(meeting.End));
    }

    [Theory]
    [InlineData("DTSTART;VALUE=DATE:20260105", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")] // a date alone lasts one day
    [InlineData("DTSTART:20260105T090000Z", "2026-01-05T09:00:00Z", "2026-01-05T09:00:00Z")] // a date-time alone lasts nothing
    [InlineData("DTSTART:20260105T090000Z\nDURATION:PT45M", "2026-01-05T09:00:00Z", "2026-01-05T09:45:00Z")]
    [InlineData("DTSTART;VALUE=DATE:20260105\nDURATION:P2D", "2026-01-05T00:00:00Z", "2026-01-07T00:00:00Z")]
    public void Expand_TakesLength_FromDtendElseDurationElseDefault(string lines, string start, string end)
    {
        var text = Calendar(null, $"UID:l\n{lines}");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "l.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.Equal(start, Format(meeting.Start));
        Assert.Equal(end, Format(meeting.End));
    }

    [Theory]
    [InlineData("Europe/Paris", "2026-01-05T08:00:00Z")] // floating times are read in the calendar's zone
    [InlineData(null, "2026-01-05T09:00:00Z")] // else in UTC
    public void Expand_ReadsFloatingTime_InCalendarZoneElseUtc(string? zone, string expectedStart)
    {
        var text = Calendar(zone, "UID:f\nDTSTART:20260105T090000\nDTEND:20260105T100000");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "f.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.Equal(expectedStart, Format(meeting.Start));
        Assert.Equal(Duration.FromHours(1), meeting.Duration);
    }

    [Fact]
    public void Expand_FillsTitleCategoriesAndDescriptionPreview()
    {
        var description = string.Concat(Enumerable.Repeat("0123456789", 30));
        var text = Calendar(null, $"UID:t\nDTSTART:20260105T090000Z\nSUMMARY:   \nCATEGORIES:Red category,Customer\nCATEGORIES:customer,Board\nDESCRIPTION:{description}");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "t.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.Equal("(no title)", meeting.Title);
        Assert.Equal(["Red category", "Customer", "Board"], meeting.ProviderCategories);
        Assert.Equal(description[..200], meeting.DescriptionPreview);
    }

    [Fact]
    public void Expand_TrimsTitle()
    {
        var text = Calendar(null, "UID:t\nDTSTART:20260105T090000Z\nSUMMARY:  Board prep  ");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "t.ics").Expand(Window("2026-01-01", "2026-02-01")));

        Assert.Equal("Board prep", meeting.Title);
    }

    [Theory]
    [InlineData("20260104T230000Z", "20260105T010000Z", true)] // started before the window, still running in it
    [InlineData("20260104T220000Z", "20260105T000000Z", false)] // ends exactly when the window starts
    [InlineData("20260201T000000Z", "20260201T010000Z", false)] // starts exactly when the window ends
    [InlineData("20260105T000000Z", "20260105T000000Z", true)] // zero length at the window's start
    public void Expand_KeepsEventsThatOverlapTheWindow(string start, string end, bool expected)
    {
        var text = Calendar(null, $"UID:w\nDTSTART:{start}\nDTEND:{end}");

        var meetings = IcsCalendarParser.Parse(text, "w.ics").Expand(Window("2026-01-05", "2026-02-01"));

        Assert.Equal(expected, meetings.Count == 1);
    }

    [Fact]
    public void Expand_ReadsOnlyTheWindow_OfAnEndlessSeries()
    {
        var text = Calendar(null, "UID:e\nDTSTART:20000103T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY");

        var meetings = IcsCalendarParser.Parse(text, "e.ics").Expand(Window("2026-01-05", "2026-01-12"));

        Assert.Equal(7, meetings.Count);
        Assert.Equal("e/20260105T090000Z", meetings[0].ProviderId);
    }

    [Fact]
    public void Expand_StopsQuietly_WhenRuleNeverMatches()
    {
        // 30 February never comes; the rule has no occurrences rather than an endless search.
        var text = Calendar(null, "UID:n\nDTSTART;VALUE=DATE:20260101\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");

        var meetings = IcsCalendarParser.Parse(text, "n.ics").Expand(Window("2026-01-05", "2026-03-05"));

        Assert.Empty(meetings);
    }

    [Fact]
    public void Expand_GivesDistinctIds_WhenTwoSingleEventsShareAUid()
    {
        var text = Calendar(null, "UID:dup\nDTSTART:20260105T090000Z\nSUMMARY:First", "UID:dup\nDTSTART:20260106T090000Z\nSUMMARY:Second");

        var meetings = IcsCalendarParser.Parse(text, "d.ics").Expand(Window("2026-01-01", "2026-02-01"));

        Assert.Equal(["dup", "dup#2"], meetings.Select(m => m.ProviderId));
    }

    private static Interval Window(string from, string to) =>
        new(LocalDatePattern.Iso.Parse(from).Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant(),
            LocalDatePattern.Iso.Parse(to).Value.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());

    private static string Format(Instant instant) => InstantPattern.General.Format(instant);
}
