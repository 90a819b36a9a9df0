using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Microsoft.Graph.Models;
using NodaTime;
using GraphResponseStatus = Microsoft.Graph.Models.ResponseStatus;
using ResponseStatus = ExecutionTrap.Domain.Meetings.ResponseStatus;

namespace ExecutionTrap.UnitTests.Calendars.Microsoft;

public sealed class GraphEventMapperTests
{
    [Fact]
    public void ToMeeting_MapsTheDocumentedFields_WhenGivenAFullSingleInstance()
    {
        // The shape of the first event of graph-calendarview-list-full-events.json.
        var graphEvent = Event(e =>
        {
            e.Subject = "New Training Plans";
            e.BodyPreview = "Meeting to plan new trainings.";
            e.IsOrganizer = true;
            e.ResponseStatus = new GraphResponseStatus { Response = ResponseType.Organizer };
            e.ShowAs = FreeBusyStatus.Busy;
            e.Type = EventType.SingleInstance;
            e.Sensitivity = Sensitivity.Normal;
            e.Categories = ["Red category"];
            e.Organizer = Person("HRTaskforce@contoso.onmicrosoft.com");
            e.Attendees = [Attendee("HRTaskforce@contoso.onmicrosoft.com"), Attendee("MeganB@contoso.onmicrosoft.com")];
        });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null)!;

        Assert.Equal(CalendarProvider.Microsoft, meeting.Provider);
        Assert.Equal("AAMkAGI5MWYJOwAAEA==", meeting.ProviderId);
        Assert.Equal("New Training Plans", meeting.Title);
        Assert.Equal(Instant.FromUtc(2017, 8, 14, 21, 0), meeting.Start);
        Assert.Equal(Instant.FromUtc(2017, 8, 14, 22, 0), meeting.End);
        Assert.Equal(ShowAs.Busy, meeting.ShowAs);
        Assert.Equal(ResponseStatus.Organizer, meeting.Response);
        Assert.True(meeting.IsOrganizer);
        Assert.Equal(2, meeting.AttendeeCount);
        Assert.False(meeting.IsRecurring);
        Assert.Null(meeting.SeriesId);
        Assert.False(meeting.IsPrivate);
        Assert.False(meeting.HasExternalAttendees);
        Assert.False(meeting.IsAllDay);
        Assert.False(meeting.IsCancelled);
        Assert.Equal(["Red category"], meeting.ProviderCategories);
        Assert.Equal("Meeting to plan new trainings.", meeting.DescriptionPreview);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ToMeeting_TitlesTheMeetingNoTitle_WhenTheSubjectIsMissing(string? subject)
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e => e.Subject = subject), ownerEmail: null)!;

        Assert.Equal("(no title)", meeting.Title);
    }

    [Theory]
    [InlineData("2017-04-15T11:00:00.0000000", "Pacific Standard Time", "2017-04-15T18:00:00Z")] // Windows name, daylight time
    [InlineData("2017-01-15T11:00:00.0000000", "Pacific Standard Time", "2017-01-15T19:00:00Z")] // Windows name, standard time
    [InlineData("2017-04-15T11:00:00", "Europe/London", "2017-04-15T10:00:00Z")] // IANA id, no fraction
    [InlineData("2017-04-15T11:00:00.0000000", "tzone://Microsoft/Utc", "2017-04-15T11:00:00Z")]
    [InlineData("2017-04-15T11:00:00.0000000Z", "Pacific Standard Time", "2017-04-15T11:00:00Z")] // an explicit Z wins
    [InlineData("2026-03-08T02:30:00.0000000", "Pacific Standard Time", "2026-03-08T10:30:00Z")] // DST gap: 02:30 does not exist, shifted forward
    public void ToMeeting_ConvertsTheStartToUtc_WhenThePayloadNamesAZone(string dateTime, string timeZone, string expected)
    {
        var graphEvent = Event(e => e.Start = new DateTimeTimeZone { DateTime = dateTime, TimeZone = timeZone });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null)!;

        Assert.Equal(expected, meeting.Start.ToString());
    }

    [Fact]
    public void ToMeeting_ThrowsBadDataNamingTheZone_WhenTheZoneIsUnknown()
    {
        var graphEvent = Event(e => e.End = new DateTimeTimeZone { DateTime = "2017-04-15T11:00:00", TimeZone = "Atlantis Time" });

        var error = Assert.Throws<CalendarSourceException>(() => GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("Atlantis Time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMeeting_ThrowsBadData_WhenTheEventHasNoStart()
    {
        var error = Assert.Throws<CalendarSourceException>(() => GraphEventMapper.ToMeeting(Event(e => e.Start = null), ownerEmail: null));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains("no start", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FreeBusyStatus.Free, ShowAs.Free)]
    [InlineData(FreeBusyStatus.Oof, ShowAs.OutOfOffice)]
    [InlineData(FreeBusyStatus.WorkingElsewhere, ShowAs.WorkingElsewhere)]
    [InlineData(FreeBusyStatus.Tentative, ShowAs.Tentative)]
    [InlineData(FreeBusyStatus.Busy, ShowAs.Busy)]
    [InlineData(FreeBusyStatus.Unknown, ShowAs.Busy)]
    public void ToMeeting_MapsShowAs(FreeBusyStatus status, ShowAs expected)
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e => e.ShowAs = status), ownerEmail: null)!;

        Assert.Equal(expected, meeting.ShowAs);
    }

    [Theory]
    [InlineData(ResponseType.Declined, false, ResponseStatus.Declined)]
    [InlineData(ResponseType.Organizer, true, ResponseStatus.Organizer)]
    [InlineData(ResponseType.Accepted, false, ResponseStatus.Accepted)]
    [InlineData(ResponseType.TentativelyAccepted, false, ResponseStatus.Tentative)]
    [InlineData(ResponseType.NotResponded, false, ResponseStatus.NotResponded)]
    [InlineData(ResponseType.None, false, ResponseStatus.None)]
    [InlineData(ResponseType.None, true, ResponseStatus.Organizer)] // the organiser's own copy often says "none"
    public void ToMeeting_MapsTheLeadersResponse(ResponseType response, bool isOrganizer, ResponseStatus expected)
    {
        var graphEvent = Event(e =>
        {
            e.ResponseStatus = new GraphResponseStatus { Response = response };
            e.IsOrganizer = isOrganizer;
        });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null)!;

        Assert.Equal(expected, meeting.Response);
    }

    [Theory]
    [InlineData(EventType.Occurrence)]
    [InlineData(EventType.Exception)]
    public void ToMeeting_MarksTheSeries_WhenTheEventIsAnInstance(EventType type)
    {
        var graphEvent = Event(e =>
        {
            e.Type = type;
            e.SeriesMasterId = "AAMkAGUzYRgWAAA=";
        });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null)!;

        Assert.True(meeting.IsRecurring);
        Assert.Equal("AAMkAGUzYRgWAAA=", meeting.SeriesId);
    }

    [Fact]
    public void ToMeeting_SkipsTheEvent_WhenItIsASeriesMaster()
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e => e.Type = EventType.SeriesMaster), ownerEmail: null);

        Assert.Null(meeting);
    }

    [Theory]
    [InlineData(Sensitivity.Private, true)]
    [InlineData(Sensitivity.Confidential, true)]
    [InlineData(Sensitivity.Personal, false)]
    [InlineData(Sensitivity.Normal, false)]
    public void ToMeeting_MarksPrivate_WhenSensitivityIsPrivateOrConfidential(Sensitivity sensitivity, bool expected)
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e => e.Sensitivity = sensitivity), ownerEmail: null)!;

        Assert.Equal(expected, meeting.IsPrivate);
    }

    [Fact]
    public void ToMeeting_CopiesCancelledAndAllDay()
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e =>
        {
            e.IsCancelled = true;
            e.IsAllDay = true;
        }), ownerEmail: null)!;

        Assert.True(meeting.IsCancelled);
        Assert.True(meeting.IsAllDay);
    }

    [Fact]
    public void ToMeeting_DoesNotCountRooms_WhenAResourceIsInvited()
    {
        var graphEvent = Event(e =>
        {
            e.IsOrganizer = true;
            e.Organizer = Person("leader@contoso.com");
            e.Attendees = [Attendee("ana@contoso.com"), Attendee("ben@contoso.com", AttendeeType.Optional), Attendee("room-4@contoso.com", AttendeeType.Resource)];
        });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null)!;

        // Ana, Ben and the leader, who organises and so is not in the list.
        Assert.Equal(3, meeting.AttendeeCount);
    }

    [Theory]
    [InlineData("Leader@Contoso.com", 2)] // listed (case differs): not counted twice
    [InlineData("someone-else@contoso.com", 3)]
    public void ToMeeting_CountsTheLeaderOnce_WhenTheOwnerAddressIsKnown(string ownerEmail, int expected)
    {
        var graphEvent = Event(e =>
        {
            e.Organizer = Person("ana@contoso.com");
            e.Attendees = [Attendee("leader@contoso.com"), Attendee("ben@contoso.com")];
        });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail)!;

        Assert.Equal(expected, meeting.AttendeeCount);
    }

    [Fact]
    public void ToMeeting_CountsTheLeaderAlone_WhenNobodyIsInvited()
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e => e.Attendees = []), ownerEmail: null)!;

        Assert.Equal(1, meeting.AttendeeCount);
    }

    [Theory]
    [InlineData("guest@fabrikam.com", true)]
    [InlineData("ben@CONTOSO.com", false)]
    public void ToMeeting_FlagsExternalAttendees_WhenADomainDiffersFromTheOrganisers(string attendee, bool expected)
    {
        var graphEvent = Event(e =>
        {
            e.Organizer = Person("ana@contoso.com");
            e.Attendees = [Attendee(attendee)];
        });

        var meeting = GraphEventMapper.ToMeeting(graphEvent, ownerEmail: null)!;

        Assert.Equal(expected, meeting.HasExternalAttendees);
    }

    [Fact]
    public void ToMeeting_KeepsTheFirst200Characters_OfTheBodyPreview()
    {
        var meeting = GraphEventMapper.ToMeeting(Event(e => e.BodyPreview = new string('a', 250)), ownerEmail: null)!;

        Assert.Equal(new string('a', 200), meeting.DescriptionPreview);
    }

    [Fact]
    public void ToMeeting_DoesNotSplitAnEmoji_WhenThe200thCharacterStartsOne()
    {
        // Characters 200 and 201 are the two halves of one emoji; half of it is not text.
        var preview = new string('a', 199) + "\U0001F600" + "tail";

        var meeting = GraphEventMapper.ToMeeting(Event(e => e.BodyPreview = preview), ownerEmail: null)!;

        Assert.Equal(new string('a', 199), meeting.DescriptionPreview);
    }

    private static Event Event(Action<Event> change)
    {
        var graphEvent = new Event
        {
            Id = "AAMkAGI5MWYJOwAAEA==",
            Subject = "Weekly sync",
            Start = new DateTimeTimeZone { DateTime = "2017-08-14T21:00:00.0000000", TimeZone = "UTC" },
            End = new DateTimeTimeZone { DateTime = "2017-08-14T22:00:00.0000000", TimeZone = "UTC" },
        };
        change(graphEvent);
        return graphEvent;
    }

    private static Recipient Person(string address) => new() { EmailAddress = new EmailAddress { Address = address } };

    private static Attendee Attendee(string address, AttendeeType type = AttendeeType.Required) =>
        new() { Type = type, EmailAddress = new EmailAddress { Address = address } };
}
