using System.Runtime.CompilerServices;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// An ICS file or published feed. A feed has no delta protocol, so every read is a full read of
/// the window, in one page. The cursor is the SHA-256 of the body plus the window: when neither
/// changed, the page carries no changes and the stored meetings stand as they are.
/// </summary>
internal sealed partial class IcsCalendarSource(IcsFeedReader reader, ILogger<IcsCalendarSource> logger) : ICalendarSource
{
    private static readonly InstantPattern WindowPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    public CalendarProvider Provider => CalendarProvider.Ics;

    public async IAsyncEnumerable<CalendarPage> ReadAsync(
        CalendarReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var feed = await reader.ReadAsync(request.Address, cancellationToken);
        var cursor = CursorFor(feed.ContentHash, request.Window);
        if (string.Equals(cursor, request.Cursor, StringComparison.Ordinal))
        {
            LogUnchanged(request.ConnectionId, feed.Content.Length);
            yield return new CalendarPage([], [], cursor, IsLastPage: true, IsFullRead: false);
            yield break;
        }

        var calendar = IcsCalendarParser.Parse(feed.Content, feed.Address);
        var meetings = calendar.Expand(request.Window, request.OwnerEmail);
        LogRead(request.ConnectionId, feed.Content.Length, calendar.EventCount, meetings.Count);
        yield return new CalendarPage(meetings, [], cursor, IsLastPage: true, IsFullRead: true);
    }

    /// <summary>The content hash, then the window: the same body read for another window is another read.</summary>
    public static string CursorFor(string contentHash, Interval window) =>
        $"sha256:{contentHash};window:{WindowPattern.Format(window.Start)}/{WindowPattern.Format(window.End)}";

    [LoggerMessage(Level = LogLevel.Debug, Message = "ICS connection {ConnectionId} unchanged ({ByteCount} bytes)")]
    private partial void LogUnchanged(Guid connectionId, int byteCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "ICS connection {ConnectionId} read: {ByteCount} bytes, {EventCount} events, {MeetingCount} meetings in the window")]
    private partial void LogRead(Guid connectionId, int byteCount, int eventCount, int meetingCount);
}
