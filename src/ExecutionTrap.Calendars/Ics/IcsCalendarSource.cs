using System.Runtime.CompilerServices;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// An ICS file or published feed. A feed has no delta protocol, so a read is a full read of the
/// window in one page. The cursor (<see cref="IcsCursor"/>) holds the body's hash and the range
/// expanded: when the body is unchanged and the window still inside that range, the page carries
/// no changes and the stored meetings stand.
/// </summary>
internal sealed partial class IcsCalendarSource(IcsFeedReader reader, IOptions<CalendarsOptions> options, ILogger<IcsCalendarSource> logger) : ICalendarSource
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
        var expansion = calendar.Expand(expanded, request.OwnerEmail, options.Value.Ics.Limits);
        LogRead(request.ConnectionId, feed.Content.Length, calendar.EventCount, expansion.Meetings.Count);
        if (expansion.Warning is { } warning)
        {
            LogCapped(request.ConnectionId, warning);
        }

        // A capped read keeps no cursor: the next sync reads the calendar again and says so again,
        // rather than an unchanged body clearing the warning.
        var cursor = expansion.IsCapped ? null : new IcsCursor(feed.ContentHash, expanded).ToString();
        yield return new CalendarPage(expansion.Meetings, [], cursor, IsLastPage: true, IsFullRead: true)
        {
            Warning = expansion.Warning,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ICS connection {ConnectionId} unchanged ({ByteCount} bytes)")]
    private partial void LogUnchanged(Guid connectionId, int byteCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "ICS connection {ConnectionId} read: {ByteCount} bytes, {EventCount} events, {MeetingCount} meetings")]
    private partial void LogRead(Guid connectionId, int byteCount, int eventCount, int meetingCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ICS connection {ConnectionId} read was bounded: {Warning}")]
    private partial void LogCapped(Guid connectionId, string warning);
}
