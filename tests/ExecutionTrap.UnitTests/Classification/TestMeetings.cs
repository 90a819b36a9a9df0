using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.UnitTests.Classification;

internal static class TestMeetings
{
    private static readonly Instant Monday = Instant.FromUtc(2026, 11, 16, 9, 0);

    public static Meeting Titled(string title, int attendees = 0, bool recurring = false, int minutes = 30) => new()
    {
        Provider = CalendarProvider.Ics,
        ProviderId = Guid.NewGuid().ToString("N"),
        Title = title,
        Start = Monday,
        End = Monday + Duration.FromMinutes(minutes),
        AttendeeCount = attendees,
        IsRecurring = recurring,
    };
}
