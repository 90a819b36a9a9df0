using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Newtonsoft.Json;
using NodaTime;

namespace ExecutionTrap.UnitTests.Calendars.Google;

public sealed class GoogleEventMapperTests
{
    private static readonly GoogleCalendarContext London = new("Europe/London", "leader@example.com");

    [Fact]
    public void Map_ReadsTitleTimesAndIds_WhenEventIsTimed()
    {
        var item = Event("""
            {"id":"e1","status":"confirmed","summary":" Weekly ops review ",
             "start":{"dateTime":"2026-03-02T10:00:00+01:00","timeZone":"Europe/Berlin"},
             "end":{"dateTime":"2026-03-02T11:30:00+01:00","timeZone":"Europe/Berlin"}}
            """);

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(CalendarProvider.Google, meeting.Provider);
        Assert.Equal("e1", meeting.ProviderId);
        Assert.Equal("Weekly ops review", meeting.Title);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 9, 0), meeting.Start);
        Assert.Equal(Instant.FromUtc(2026, 3, 2, 10, 30), meeting.End);
        Assert.False(meeting.IsAllDay);
        Assert.Equal(ShowAs.Busy, meeting.ShowAs);
        Assert.Equal(EventKind.Default, meeting.Kind);
        Assert.Equal(1, meeting.AttendeeCount);
        Assert.False(meeting.IsRecurring);
        Assert.False(meeting.IsPrivate);
        Assert.Null(meeting.DescriptionPreview);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")] // Google sends blank summaries for events created without a title
    public void Map_UsesNoTitle_WhenSummaryIsMissing(string? summary)
    {
        var item = Timed();
        item.Summary = summary;

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(GoogleEventMapper.NoTitle, meeting.Title);
    }

    [Fact]
    public void Map_StartsAllDayEventAtMidnightInTheEventZone_WhenDateIsGiven()
    {
        var item = Event("""
            {"id":"a1","start":{"date":"2026-03-29","timeZone":"America/New_York"},"end":{"date":"2026-03-30","timeZone":"America/New_York"}}
            """);

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.True(meeting.IsAllDay);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 4, 0), meeting.Start);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 4, 0), meeting.End);
    }

    [Fact]
    public void Map_StartsAllDayEventAtMidnightInTheCalendarZone_WhenEventHasNoZone()
    {
        // 2026-03-29: the clocks go forward in London, so midnight is still GMT but the next one is BST.
        var item = Event("""{"id":"a2","start":{"date":"2026-03-29"},"end":{"date":"2026-03-30"}}""");

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(Instant.FromUtc(2026, 3, 29, 0, 0), meeting.Start);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 23, 0), meeting.End);
    }

    [Fact]
    public void Map_StartsAllDayEventAtUtcMidnight_WhenNoZoneIsKnown()
    {
        var item = Event("""{"id":"a3","start":{"date":"2026-05-01"},"end":{"date":"2026-05-02"}}""");

        var meeting = GoogleEventMapper.Map(item, new GoogleCalendarContext("Not/AZone", null));

        Assert.Equal(Instant.FromUtc(2026, 5, 1, 0, 0), meeting.Start);
    }

    [Fact]
    public void Map_ResolvesLocalTimeInItsZone_WhenOffsetIsMissing()
    {
        // Google accepts a dateTime without offset when timeZone names the zone.
        var item = Event("""
            {"id":"l1","start":{"dateTime":"2026-07-01T09:00:00","timeZone":"Europe/Paris"},"end":{"dateTime":"2026-07-01T10:00:00","timeZone":"Europe/Paris"}}
            """);

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(Instant.FromUtc(2026, 7, 1, 7, 0), meeting.Start);
    }

    [Fact]
    public void Map_ReadsFractionalSecondsAndZulu_WhenGoogleSendsThem()
    {
        var item = Event("""
            {"id":"z1","start":{"dateTime":"2026-07-01T09:00:00.000Z"},"end":{"dateTime":"2026-07-01T09:30:00Z"}}
            """);

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(Instant.FromUtc(2026, 7, 1, 9, 0), meeting.Start);
        Assert.Equal(Instant.FromUtc(2026, 7, 1, 9, 30), meeting.End);
    }

    [Theory]
    [InlineData("focusTime", EventKind.FocusTime, ShowAs.Busy)]
    [InlineData("outOfOffice", EventKind.OutOfOffice, ShowAs.OutOfOffice)]
    [InlineData("workingLocation", EventKind.WorkingLocation, ShowAs.WorkingElsewhere)]
    [InlineData("default", EventKind.Default, ShowAs.Busy)]
    [InlineData("fromGmail", EventKind.Default, ShowAs.Busy)]
    [InlineData(null, EventKind.Default, ShowAs.Busy)]
    public void Map_ReadsKind_FromEventType(string? eventType, EventKind kind, ShowAs showAs)
    {
        var item = Timed();
        item.EventType = eventType;

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(kind, meeting.Kind);
        Assert.Equal(showAs, meeting.ShowAs);
    }

    [Fact]
    public void Map_ShowsAsFree_WhenEventIsTransparent()
    {
        var item = Timed();
        item.Transparency = "transparent";

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(ShowAs.Free, meeting.ShowAs);
    }

    [Theory]
    [InlineData("declined", ResponseStatus.Declined)]
    [InlineData("accepted", ResponseStatus.Accepted)]
    [InlineData("tentative", ResponseStatus.Tentative)]
    [InlineData("needsAction", ResponseStatus.NotResponded)]
    public void Map_ReadsResponse_FromTheSelfAttendee(string status, ResponseStatus expected)
    {
        var item = Timed();
        item.Attendees =
        [
            new EventAttendee { Email = "boss@example.com", ResponseStatus = "accepted", Organizer = true },
            new EventAttendee { Email = "leader@example.com", Self = true, ResponseStatus = status },
        ];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(expected, meeting.Response);
        Assert.False(meeting.IsOrganizer);
    }

    [Fact]
    public void Map_MarksOrganizer_WhenOrganizerIsSelf()
    {
        var item = Timed();
        item.Organizer = new EventOrganizer { Email = "leader@example.com", Self = true };
        item.Attendees = [new EventAttendee { Email = "leader@example.com", Self = true, Organizer = true, ResponseStatus = "accepted" }];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.True(meeting.IsOrganizer);
        Assert.Equal(ResponseStatus.Organizer, meeting.Response);
    }

    [Fact]
    public void Map_KeepsDeclined_WhenOrganizerDeclinedTheirOwnEvent()
    {
        var item = Timed();
        item.Organizer = new EventOrganizer { Email = "leader@example.com", Self = true };
        item.Attendees = [new EventAttendee { Email = "leader@example.com", Self = true, ResponseStatus = "declined" }];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(ResponseStatus.Declined, meeting.Response);
    }

    [Fact]
    public void Map_CountsPeopleButNotRooms_WhenAttendeesIncludeResources()
    {
        var item = Timed();
        item.Attendees =
        [
            new EventAttendee { Email = "leader@example.com", Self = true },
            new EventAttendee { Email = "peer@example.com" },
            new EventAttendee { Email = "room-4@resource.calendar.google.com", Resource = true },
        ];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(2, meeting.AttendeeCount);
        Assert.False(meeting.HasExternalAttendees);
    }

    [Fact]
    public void Map_CountsOneAttendee_WhenOnlyARoomIsInvited()
    {
        var item = Timed();
        item.Attendees = [new EventAttendee { Email = "room@resource.calendar.google.com", Resource = true }];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(1, meeting.AttendeeCount);
    }

    [Fact]
    public void Map_FlagsExternalAttendees_WhenADomainDiffersFromTheLeaders()
    {
        var item = Timed();
        item.Attendees =
        [
            new EventAttendee { Email = "leader@Example.com", Self = true },
            new EventAttendee { Email = "buyer@customer.test" },
        ];

        var meeting = GoogleEventMapper.Map(item, new GoogleCalendarContext(null, null));

        Assert.True(meeting.HasExternalAttendees);
    }

    [Fact]
    public void Map_UsesTheContextAddress_WhenNoAttendeeIsSelf()
    {
        var item = Timed();
        item.Attendees = [new EventAttendee { Email = "peer@EXAMPLE.com" }];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.False(meeting.HasExternalAttendees);
    }

    [Fact]
    public void Map_MarksRecurringWithSeries_WhenEventIsAnInstance()
    {
        var item = Timed();
        item.Id = "series_20260302T090000Z";
        item.RecurringEventId = "series";

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.True(meeting.IsRecurring);
        Assert.Equal("series", meeting.SeriesId);
    }

    [Fact]
    public void Map_MarksRecurringWithItsOwnId_WhenEventIsASeriesMaster()
    {
        // Masters appear only in reads without singleEvents, such as recorded incremental payloads.
        var item = Timed();
        item.Recurrence = ["RRULE:FREQ=DAILY;UNTIL=20250401T045959Z"];

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.True(meeting.IsRecurring);
        Assert.Equal(item.Id, meeting.SeriesId);
    }

    [Theory]
    [InlineData("private", true)]
    [InlineData("confidential", true)]
    [InlineData("public", false)]
    [InlineData("default", false)]
    public void Map_ReadsPrivacy_FromVisibility(string visibility, bool isPrivate)
    {
        var item = Timed();
        item.Visibility = visibility;

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(isPrivate, meeting.IsPrivate);
    }

    [Fact]
    public void Map_KeepsTheFirst200CharactersOfText_WhenDescriptionIsLongHtml()
    {
        var item = Timed();
        // Google Calendar's editor writes HTML: tags, entities and line breaks become single spaces.
        item.Description = "<p>Agenda:&nbsp;<b>pricing</b></p>\n<br>" + new string('x', 400);

        var meeting = GoogleEventMapper.Map(item, London);

        Assert.Equal(GoogleEventMapper.DescriptionPreviewLength, meeting.DescriptionPreview!.Length);
        Assert.StartsWith("Agenda: pricing xxx", meeting.DescriptionPreview, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_ThrowsBadDataNamingTheEvent_WhenStartIsMissing()
    {
        var item = Timed();
        item.Start = null;

        var error = Assert.Throws<CalendarSourceException>(() => GoogleEventMapper.Map(item, London));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("'t1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_ThrowsBadData_WhenTimeIsUnreadable()
    {
        var item = Timed();
        item.End = new EventDateTime { DateTime = "next tuesday" };

        var error = Assert.Throws<CalendarSourceException>(() => GoogleEventMapper.Map(item, London));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("next tuesday", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cancelled", true)]
    [InlineData("confirmed", false)]
    [InlineData("tentative", false)]
    public void IsCancelled_ReadsStatus(string status, bool cancelled)
    {
        var item = Timed();
        item.Status = status;

        Assert.Equal(cancelled, GoogleEventMapper.IsCancelled(item));
    }

    private static CalendarEvent Timed() => Event("""
        {"id":"t1","status":"confirmed","summary":"Sync",
         "start":{"dateTime":"2026-03-02T09:00:00Z"},"end":{"dateTime":"2026-03-02T09:30:00Z"}}
        """);

    private static CalendarEvent Event(string json) => JsonConvert.DeserializeObject<CalendarEvent>(json)!;
}
