using ExecutionTrap.Calendars.Microsoft;

namespace ExecutionTrap.UnitTests.Calendars.Microsoft;

public sealed class GraphCursorTests
{
    private static readonly Uri GraphBase = new("https://graph.microsoft.com/v1.0/");

    [Theory]
    [InlineData("full:https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=a", true)]
    [InlineData("delta:https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=b", false)]
    [InlineData("https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=b", false)] // a bare link, as `etrap fetch --state` may hold
    public void TryParse_ReadsTheKindOfRead_FromThePrefix(string cursor, bool isFullRead)
    {
        var parsed = GraphCursor.TryParse(cursor, GraphBase, out var result, out _);

        Assert.True(parsed);
        Assert.Equal(isFullRead, result!.IsFullRead);
        Assert.StartsWith("https://graph.microsoft.com/v1.0/me/calendarView/delta?", result.Link.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_RoundTrips_ThroughTryParse()
    {
        var cursor = new GraphCursor(true, new Uri("https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s"));

        GraphCursor.TryParse(cursor.ToString(), GraphBase, out var parsed, out _);

        Assert.Equal(cursor, parsed);
        Assert.Equal("full:https://graph.microsoft.com/v1.0/me/calendarView/delta?$skiptoken=R0usmcCM996atia_s", cursor.ToString());
    }

    [Theory]
    [InlineData("delta:https://graph.microsoft.us/v1.0/me/calendarView/delta?$deltatoken=b", "graph.microsoft.us")] // another cloud's token
    [InlineData("delta:http://graph.microsoft.com/v1.0/me/calendarView/delta", "graph.microsoft.com")] // plain http would leak the token
    [InlineData("delta:not a link", "not a link")]
    [InlineData("R0usmcMDNGg0J1E", "not a link")] // a bare token without its link
    public void TryParse_Refuses_WhenTheLinkIsNotGraphsOwn(string cursor, string named)
    {
        var parsed = GraphCursor.TryParse(cursor, GraphBase, out var result, out var problem);

        Assert.False(parsed);
        Assert.Null(result);
        Assert.Contains(named, problem, StringComparison.Ordinal);
    }
}
