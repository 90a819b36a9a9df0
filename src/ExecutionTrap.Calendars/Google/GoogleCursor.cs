using ExecutionTrap.Domain.Calendars;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Calendars.Google;

/// <summary>
/// Where a Google read stands, as the sync stores it between pages and runs:
/// <c>page:{timeMin}|{timeMax}|{pageToken}</c> in the middle of a full read (Google wants the same
/// window with every page token), <c>sync:{syncToken}</c> for the next incremental read, and
/// <c>sync:{syncToken}|{pageToken}</c> in the middle of one. Google's tokens are URL-safe base64, never '|'.
/// </summary>
internal sealed record GoogleCursor
{
    private const string PagePrefix = "page:";
    private const string SyncPrefix = "sync:";
    private const char Separator = '|';
    private static readonly InstantPattern TimePattern = InstantPattern.ExtendedIso;

    private GoogleCursor(Interval? window, string? syncToken, string? pageToken)
    {
        Window = window;
        SyncToken = syncToken;
        PageToken = pageToken;
    }

    /// <summary>The window of a full read; null on an incremental one.</summary>
    public Interval? Window { get; }

    public string? SyncToken { get; }

    public string? PageToken { get; }

    public bool IsFullRead => SyncToken is null;

    public static GoogleCursor FullRead(Interval window) => new(window, null, null);

    public static GoogleCursor Incremental(string syncToken) => new(null, syncToken, null);

    /// <exception cref="CalendarSourceException">The cursor is not one this connector wrote (<see cref="CalendarErrorKind.CursorExpired"/>).</exception>
    public static GoogleCursor Parse(string? cursor, Interval window)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return FullRead(window);
        }

        if (cursor.StartsWith(SyncPrefix, StringComparison.Ordinal))
        {
            var parts = cursor[SyncPrefix.Length..].Split(Separator, 2);
            if (parts[0].Length > 0 && (parts.Length == 1 || parts[1].Length > 0))
            {
                return new GoogleCursor(null, parts[0], parts.Length == 2 ? parts[1] : null);
            }
        }
        else if (cursor.StartsWith(PagePrefix, StringComparison.Ordinal))
        {
            var parts = cursor[PagePrefix.Length..].Split(Separator, 3);
            if (parts.Length == 3 && parts[2].Length > 0
                && TimePattern.Parse(parts[0]) is { Success: true } min
                && TimePattern.Parse(parts[1]) is { Success: true } max
                && min.Value <= max.Value)
            {
                return new GoogleCursor(new Interval(min.Value, max.Value), null, parts[2]);
            }
        }

        // A cursor we cannot read is one we cannot resume from: a clean full read repairs it.
        throw new CalendarSourceException(
            CalendarErrorKind.CursorExpired,
            "The stored Google Calendar cursor is not one this connector wrote; a full read is needed.");
    }

    public GoogleCursor WithPage(string pageToken) => new(Window, SyncToken, pageToken);

    public override string ToString() => SyncToken is { } sync
        ? PageToken is null ? SyncPrefix + sync : $"{SyncPrefix}{sync}{Separator}{PageToken}"
        : $"{PagePrefix}{TimePattern.Format(Window!.Value.Start)}{Separator}{TimePattern.Format(Window.Value.End)}{Separator}{PageToken}";
}
