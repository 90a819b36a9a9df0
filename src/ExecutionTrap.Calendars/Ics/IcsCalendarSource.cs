using System.Runtime.CompilerServices;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// An ICS file or published feed. A feed has no delta protocol, so a read is a full read of the
/// window in one page. The cursor (<see cref="IcsCursor"/>) holds the body's hash and the range
/// expanded: when the body is unchanged and the window still inside that range, the page carries
/// no changes and the stored meetings stand.
/// </summary>
internal sealed partial class IcsCalendarSource(IcsFeedReader reader, ILogger<IcsCalendarSource> logger) : ICalendarSource
{
    // Expanding a day either side lets a window that slides with every sync run reuse one read for a day.
    private static readonly Duration Margin = Duration.FromDays(1);

    public CalendarProvider Provider => CalendarProvider.Ics;

    public async IAsyncEnumerable<CalendarPage> ReadAsync(
        CalendarReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var feed = await reader.ReadAsync(request.Address, cancellationToken);
        if (IcsCursor.TryParse(request.Cursor, out var previous)
            && previous.ContentHash == feed.ContentHash
            && previous.Covers(request.Window))
        {
            LogUnchanged(request.ConnectionId, feed.Content.Length);
            yield return new CalendarPage([], [], request.Cursor, IsLastPage: true, IsFullRead: false);
            yield break;
        }

        var calendar = IcsCalendarParser.Parse(feed.Content, feed.Address);
        var expanded = new Interval(request.Window.Start - Margin, request.Window.End + Margin);
        var meetings = calendar.Expand(expanded, request.OwnerEmail);
        LogRead(request.ConnectionId, feed.Content.Length, calendar.EventCount, meetings.Count);
        yield return new CalendarPage(meetings, [], new IcsCursor(feed.ContentHash, expanded).ToString(), IsLastPage: true, IsFullRead: true);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ICS connection {ConnectionId} unchanged ({ByteCount} bytes)")]
    private partial void LogUnchanged(Guid connectionId, int byteCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "ICS connection {ConnectionId} read: {ByteCount} bytes, {EventCount} events, {MeetingCount} meetings")]
    private partial void LogRead(Guid connectionId, int byteCount, int eventCount, int meetingCount);
}
