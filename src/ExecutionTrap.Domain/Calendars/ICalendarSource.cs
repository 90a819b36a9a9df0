using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Domain.Calendars;

/// <summary>What the sync asks a calendar source for.</summary>
/// <param name="ConnectionId">The connection being read; sources look up its credentials by this id.</param>
/// <param name="Address">The ICS path or URL, or the provider's calendar id ("primary").</param>
/// <param name="Window">The rolling window of events to read on a full read.</param>
/// <param name="Cursor">Where the last read stopped (a delta link, a page or sync token); null for a full read.</param>
/// <param name="OwnerEmail">The leader's address, to find their own attendee entry (ICS).</param>
public sealed record CalendarReadRequest(
    Guid ConnectionId,
    string Address,
    Interval Window,
    string? Cursor,
    string? OwnerEmail);

/// <summary>
/// One page of changes. The sync stores <see cref="Changed"/>, <see cref="Removed"/> and
/// <see cref="Cursor"/> in one transaction, so a read killed between pages resumes from the cursor.
/// </summary>
/// <param name="Changed">Events added or changed.</param>
/// <param name="Removed">Provider ids of events that no longer exist.</param>
/// <param name="Cursor">The cursor to resume from after this page; on the last page, the one for the next incremental read.</param>
/// <param name="IsLastPage">True on the page that ends this read.</param>
/// <param name="IsFullRead">True when this read lists every event of the window, so that events not listed are gone.</param>
public sealed record CalendarPage(
    IReadOnlyList<Meeting> Changed,
    IReadOnlyList<string> Removed,
    string? Cursor,
    bool IsLastPage,
    bool IsFullRead)
{
    /// <summary>
    /// Set when the source left part of the calendar out to stay bounded (an ICS series cut at its
    /// cap, an event recurring every second skipped): one sentence for the leader, which the sync
    /// records on the connection. Null when everything was read.
    /// </summary>
    public string? Warning { get; init; }
}

/// <summary>A calendar provider behind one protocol (ICS, Microsoft Graph, Google Calendar).</summary>
public interface ICalendarSource
{
    CalendarProvider Provider { get; }

    /// <summary>Reads pages of changes from the cursor, or everything in the window when the cursor is null.</summary>
    /// <exception cref="CalendarSourceException">The calendar could not be read; the message names why.</exception>
    IAsyncEnumerable<CalendarPage> ReadAsync(CalendarReadRequest request, CancellationToken cancellationToken);
}

/// <summary>What went wrong reading a calendar, in words a leader or operator can act on.</summary>
public enum CalendarErrorKind
{
    /// <summary>The data could not be used: not a calendar, malformed, too large, an unknown time zone.</summary>
    BadData,

    /// <summary>The address does not answer with a calendar (404, HTML, unreachable).</summary>
    NotFound,

    /// <summary>The grant was revoked or expired: the leader must connect again.</summary>
    NeedsReconnect,

    /// <summary>The stored cursor expired: a clean full read is needed.</summary>
    CursorExpired,

    /// <summary>The provider kept failing after retries.</summary>
    ProviderUnavailable,

    /// <summary>The provider refused for a reason retrying will not change.</summary>
    Forbidden,
}

public sealed class CalendarSourceException : Exception
{
    public CalendarSourceException(CalendarErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public CalendarSourceException()
    {
    }

    public CalendarSourceException(string message)
        : base(message)
    {
    }

    public CalendarSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CalendarErrorKind Kind { get; } = CalendarErrorKind.BadData;

    /// <summary>The HTTP status the provider answered, when the failure came from one.</summary>
    public int? HttpStatus { get; init; }
}
