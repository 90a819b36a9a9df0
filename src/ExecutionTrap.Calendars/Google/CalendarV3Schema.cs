using Newtonsoft.Json;

namespace ExecutionTrap.Calendars.Google;

// Only the fields the connector reads; names as in the Calendar v3 discovery document.

/// <summary>The <c>Events</c> resource: one page of <c>events.list</c>.</summary>
internal sealed class EventsPage
{
    [JsonProperty("items")]
    public IList<CalendarEvent>? Items { get; set; }

    [JsonProperty("nextPageToken")]
    public string? NextPageToken { get; set; }

    [JsonProperty("nextSyncToken")]
    public string? NextSyncToken { get; set; }

    /// <summary>The calendar's time zone: all-day events without their own zone start at midnight here.</summary>
    [JsonProperty("timeZone")]
    public string? TimeZone { get; set; }

    /// <summary>The calendar's title; for a primary calendar, the owner's address.</summary>
    [JsonProperty("summary")]
    public string? Summary { get; set; }
}

internal sealed class CalendarEvent
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    /// <summary><c>confirmed</c>, <c>tentative</c> or <c>cancelled</c>.</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    [JsonProperty("summary")]
    public string? Summary { get; set; }

    [JsonProperty("description")]
    public string? Description { get; set; }

    [JsonProperty("start")]
    public EventDateTime? Start { get; set; }

    [JsonProperty("end")]
    public EventDateTime? End { get; set; }

    /// <summary><c>default</c>, <c>focusTime</c>, <c>outOfOffice</c>, <c>workingLocation</c>, <c>birthday</c>, <c>fromGmail</c>.</summary>
    [JsonProperty("eventType")]
    public string? EventType { get; set; }

    /// <summary><c>opaque</c> (busy, the default) or <c>transparent</c> (free).</summary>
    [JsonProperty("transparency")]
    public string? Transparency { get; set; }

    /// <summary><c>default</c>, <c>public</c>, <c>private</c> or <c>confidential</c>.</summary>
    [JsonProperty("visibility")]
    public string? Visibility { get; set; }

    [JsonProperty("attendees")]
    public IList<EventAttendee>? Attendees { get; set; }

    [JsonProperty("organizer")]
    public EventOrganizer? Organizer { get; set; }

    [JsonProperty("recurringEventId")]
    public string? RecurringEventId { get; set; }

    /// <summary>RRULE lines: set on a series master (seen only without <c>singleEvents</c>).</summary>
    [JsonProperty("recurrence")]
    public IList<string>? Recurrence { get; set; }
}

internal sealed class EventDateTime
{
    /// <summary><c>yyyy-mm-dd</c> for an all-day event.</summary>
    [JsonProperty("date")]
    public string? Date { get; set; }

    /// <summary>RFC 3339; the offset may be missing when <see cref="TimeZone"/> is given.</summary>
    [JsonProperty("dateTime")]
    public string? DateTime { get; set; }

    [JsonProperty("timeZone")]
    public string? TimeZone { get; set; }
}

internal sealed class EventAttendee
{
    [JsonProperty("email")]
    public string? Email { get; set; }

    [JsonProperty("self")]
    public bool? Self { get; set; }

    /// <summary>Rooms and equipment: not people.</summary>
    [JsonProperty("resource")]
    public bool? Resource { get; set; }

    [JsonProperty("organizer")]
    public bool? Organizer { get; set; }

    /// <summary><c>needsAction</c>, <c>declined</c>, <c>tentative</c> or <c>accepted</c>.</summary>
    [JsonProperty("responseStatus")]
    public string? ResponseStatus { get; set; }
}

internal sealed class EventOrganizer
{
    [JsonProperty("email")]
    public string? Email { get; set; }

    [JsonProperty("self")]
    public bool? Self { get; set; }
}
