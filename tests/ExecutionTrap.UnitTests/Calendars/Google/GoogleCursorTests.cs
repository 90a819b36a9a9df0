using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Domain.Calendars;
using NodaTime;

namespace ExecutionTrap.UnitTests.Calendars.Google;

public sealed class GoogleCursorTests
{
    private static readonly Interval Window = new(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2026, 3, 1, 0, 0));

    [Fact]
    public void Parse_StartsAFullReadOfTheWindow_WhenCursorIsNull()
    {
        var cursor = GoogleCursor.Parse(null, Window);

        Assert.True(cursor.IsFullRead);
        Assert.Equal(Window, cursor.Window);
        Assert.Null(cursor.PageToken);
    }

    [Fact]
    public void Parse_RoundTripsAFullReadPage_WithItsOriginalWindow()
    {
        // Page tokens are URL-safe base64 with '=' padding and '-' in them.
        var written = GoogleCursor.FullRead(Window).WithPage("ClEKQ-82_gI=").ToString();

        var read = GoogleCursor.Parse(written, new Interval(Window.Start + Duration.FromDays(7), Window.End + Duration.FromDays(7)));

        Assert.Equal("page:2026-01-01T00:00:00Z|2026-03-01T00:00:00Z|ClEKQ-82_gI=", written);
        Assert.True(read.IsFullRead);
        Assert.Equal(Window, read.Window);
        Assert.Equal("ClEKQ-82_gI=", read.PageToken);
    }

    [Fact]
    public void Parse_ReadsSyncToken_WhenCursorIsIncremental()
    {
        var cursor = GoogleCursor.Parse("sync:CPjflvfe1YEDEPjflvfe1YEDGAUg0_uyjwI=", Window);

        Assert.False(cursor.IsFullRead);
        Assert.Equal("CPjflvfe1YEDEPjflvfe1YEDGAUg0_uyjwI=", cursor.SyncToken);
        Assert.Null(cursor.PageToken);
        Assert.Null(cursor.Window);
    }

    [Fact]
    public void Parse_RoundTripsAnIncrementalPage_KeepingItsSyncToken()
    {
        var written = GoogleCursor.Incremental("sync-1").WithPage("page-2").ToString();

        var read = GoogleCursor.Parse(written, Window);

        Assert.Equal("sync:sync-1|page-2", written);
        Assert.Equal("sync-1", read.SyncToken);
        Assert.Equal("page-2", read.PageToken);
    }

    [Theory]
    [InlineData("delta:abc")]
    [InlineData("sync:")]
    [InlineData("sync:abc|")]
    [InlineData("page:2026-01-01T00:00:00Z|token")]
    [InlineData("page:yesterday|today|token")]
    [InlineData("page:2026-03-01T00:00:00Z|2026-01-01T00:00:00Z|token")] // window ends before it starts
    public void Parse_ThrowsCursorExpired_WhenCursorIsNotOneWeWrote(string cursor)
    {
        var error = Assert.Throws<CalendarSourceException>(() => GoogleCursor.Parse(cursor, Window));

        Assert.Equal(CalendarErrorKind.CursorExpired, error.Kind);
    }
}
