using ExecutionTrap.Web.Hosting;

namespace ExecutionTrap.UnitTests.Web.Hosting;

public sealed class JobTextsTests
{
    [Theory]
    [InlineData("https://calendar.example.com/ical/abc%40group/private-5f3e/basic.ics answered HTTP 500", "<address> answered HTTP 500")]
    [InlineData("webcal://outlook.office365.com/owa/calendar/secret/reachcalendar.ics timed out", "<address> timed out")] // Outlook's published calendars
    [InlineData("could not read 'http://10.0.0.5:8080/x.ics': refused", "could not read '<address>': refused")]
    [InlineData("the feed could not be read", "the feed could not be read")]
    public void Redact_TakesOutEveryAddress_AndKeepsTheRest(string text, string expected)
    {
        Assert.Equal(expected, JobTexts.Redact(text));
    }
}
