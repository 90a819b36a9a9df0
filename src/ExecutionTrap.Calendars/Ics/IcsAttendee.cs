namespace ExecutionTrap.Calendars.Ics;

/// <summary>One ATTENDEE of an event, as much of it as a meeting needs.</summary>
/// <param name="Key">The lower-case address (mailto: removed), else the name: what makes two entries the same person.</param>
/// <param name="IsResource">A room or other resource (CUTYPE=ROOM/RESOURCE), not a person.</param>
/// <param name="ParticipationStatus">PARTSTAT as written, upper case; null when the entry has none.</param>
internal sealed record IcsAttendee(string Key, bool IsResource, string? ParticipationStatus);
