using System.Text;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Calendars;
using NodaTime;
using static ExecutionTrap.UnitTests.Calendars.Ics.IcsFixtures;

namespace ExecutionTrap.UnitTests.Calendars.Ics;

public sealed class IcsCalendarParserTests
{
    private static readonly Interval Year2026 = new(Instant.FromUtc(2026, 1, 1, 0, 0), Instant.FromUtc(2027, 1, 1, 0, 0));

    [Theory]
    [InlineData(Exchange2010, "Europe/London")] // the only VTIMEZONE, a Windows id ("GMT Standard Time")
    [InlineData(GoogleMovedInstance, "Europe/Berlin")] // X-WR-TIMEZONE
    [InlineData(Outlook11, "Europe/Warsaw")] // the only VTIMEZONE, IANA
    [InlineData(Outlook12, "Australia/Perth")] // the only VTIMEZONE, a Windows id ("W. Australia Standard Time")
    public void Parse_FindsCalendarZone_InEachFixture(string fixture, string expectedZone)
    {
        var text = Read(fixture);

        var calendar = IcsCalendarParser.Parse(text, fixture);

        Assert.Equal(expectedZone, calendar.TimeZone?.Id);
    }

    [Fact]
    public void Parse_HasNoZone_WhenCalendarNamesNone()
    {
        var text = Calendar(null, "UID:a\nDTSTART:20260105T090000Z\nDTEND:20260105T100000Z\nSUMMARY:Standup");

        var calendar = IcsCalendarParser.Parse(text, "plain.ics");

        Assert.Null(calendar.TimeZone);
        Assert.Equal(1, calendar.EventCount);
    }

    [Fact]
    public void Parse_PrefersDeclaredZone_OverVTimezone()
    {
        var text = Read(Outlook12).Replace("X-WR-CALNAME:Jake Ginnivan", "X-WR-CALNAME:Jake Ginnivan\nX-WR-TIMEZONE:Europe/Paris", StringComparison.Ordinal);

        var calendar = IcsCalendarParser.Parse(text, Outlook12);

        Assert.Equal("Europe/Paris", calendar.TimeZone?.Id);
        Assert.Equal("Jake Ginnivan", calendar.Name);
    }

    [Fact]
    public void Parse_ReadsCalendar_WhenProductLineSwallowedTheVersion()
    {
        // Outlook 11 wrote "PRODID:… VERSION:2.0" on one line; nothing about a meeting is lost by reading on.
        var text = Read(Outlook11);

        var calendar = IcsCalendarParser.Parse(text, Outlook11);

        Assert.Equal(1, calendar.EventCount);
    }

    [Fact]
    public void Parse_ReadsCalendar_WithByteOrderMarkBlankLinesAndBareLineFeeds()
    {
        var text = "\uFEFF" + Calendar(null, "UID:a\nDTSTART:20260105T090000Z\nSUMMARY:Standup").Replace("\r\n", "\n\n", StringComparison.Ordinal);

        var calendar = IcsCalendarParser.Parse(text, "sloppy.ics");

        Assert.Equal("Standup", Assert.Single(calendar.Expand(Year2026)).Title);
    }

    [Fact]
    public void Parse_JoinsTextLine_ThatLostItsFoldingSpace()
    {
        // An exporter that wraps DESCRIPTION without the leading space leaves a line that is no property.
        var text = Calendar(null, "UID:a\nDTSTART:20260105T090000Z\nSUMMARY:Review\nDESCRIPTION:Agenda: budget\nsecond line of the agenda");

        var meeting = Assert.Single(IcsCalendarParser.Parse(text, "wrapped.ics").Expand(Year2026));

        Assert.Equal("Agenda: budget second line of the agenda", meeting.DescriptionPreview);
    }

    [Fact]
    public void Parse_GivesSameId_WhenEventWithoutUidIsReadTwice()
    {
        // Without a UID the library would invent a random one each read, and every sync would replace the meeting.
        var text = Calendar(null, "DTSTART:20260105T090000Z\nDTSTAMP:20260101T000000Z\nSUMMARY:No uid");
        var restamped = text.Replace("DTSTAMP:20260101T000000Z", "DTSTAMP:20260102T000000Z", StringComparison.Ordinal);

        var first = Assert.Single(IcsCalendarParser.Parse(text, "a.ics").Expand(Year2026));
        var second = Assert.Single(IcsCalendarParser.Parse(restamped, "a.ics").Expand(Year2026));

        Assert.StartsWith("ics-", first.ProviderId, StringComparison.Ordinal);
        Assert.Equal(first.ProviderId, second.ProviderId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n  ")]
    public void Parse_Throws_WhenTextIsEmpty(string text)
    {
        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "empty.ics"));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Equal("empty.ics is empty: no BEGIN:VCALENDAR.", error.Message);
    }

    [Theory]
    [InlineData("Subject,Start Date,Start Time\r\nStandup,2026-01-05,09:00\r\n")] // a CSV export
    [InlineData("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Someone\r\nEND:VCARD\r\n")]
    public void Parse_Throws_WhenTextIsNotICalendar(string text)
    {
        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "/data/export.ics"));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Equal("/data/export.ics is not an iCalendar file: no BEGIN:VCALENDAR at its start.", error.Message);
    }

    [Fact]
    public void Parse_Throws_WhenTextIsHtml()
    {
        var text = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body></body></html>";

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "https://example.test/cal"));

        Assert.Equal("https://example.test/cal is not an iCalendar file: it is an HTML page (no BEGIN:VCALENDAR).", error.Message);
    }

    [Theory]
    [InlineData(0.5)] // cut inside an event
    [InlineData(0.97)] // cut after the last event, before END:VCALENDAR
    public void Parse_Throws_WhenFileIsTruncated(double keep)
    {
        var full = Read(Exchange2010);
        var text = full[..(int)(full.Length * keep)];

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, Exchange2010));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.StartsWith($"{Exchange2010} is incomplete: it ends inside ", error.Message, StringComparison.Ordinal);
        Assert.Contains("without END:VCALENDAR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Throws_WhenComponentsAreMismatched()
    {
        var text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260105T090000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "bad.ics"));

        Assert.Equal("bad.ics is malformed: END:VTODO at line 5 does not close BEGIN:VEVENT.", error.Message);
    }

    [Fact]
    public void Parse_Throws_NamingUidAndSummary_WhenEventEndsBeforeItStarts()
    {
        // One corrupt event refuses the whole calendar: a partial read must not replace good stored data.
        var text = Calendar(
            "Europe/London",
            "UID:good-1\nDTSTART:20260105T090000Z\nDTEND:20260105T100000Z\nSUMMARY:Fine",
            "UID:broken-2\nDTSTART;TZID=Europe/London:20260106T100000\nDTEND;TZID=Europe/London:20260106T090000\nSUMMARY:Backwards review");

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "team.ics"));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.StartsWith("team.ics: event \"Backwards review\" (UID broken-2) ends before it starts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Throws_WhenDurationIsNegative()
    {
        var text = Calendar(null, "UID:neg\nDTSTART:20260105T090000Z\nDURATION:-PT30M\nSUMMARY:Negative");

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "n.ics"));

        Assert.Contains("(UID neg) ends before it starts", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Customized Time Zone")] // Outlook's name for a zone it defines itself
    [InlineData("(UTC+01:00) Amsterdam, Berlin")] // a display name: guessing from its parts would pick UTC
    [InlineData("Mars/Olympus_Mons")]
    public void Parse_Throws_NamingTzid_WhenTimeZoneIsUnknown(string tzId)
    {
        var text = Calendar(null, $"UID:tz\nDTSTART;TZID=\"{tzId}\":20260105T090000\nSUMMARY:Somewhere");

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "tz.ics"));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Contains($"unknown time zone \"{tzId}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("(UID tz)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Throws_WhenExceptionDateUsesUnknownZone()
    {
        var text = Calendar(null, "UID:ex\nDTSTART:20260105T090000Z\nRRULE:FREQ=DAILY\nEXDATE;TZID=Nowhere:20260106T090000\nSUMMARY:Daily");

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "x.ics"));

        Assert.Contains("unknown time zone \"Nowhere\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DTSTART:tomorrow-ish")]
    [InlineData("DESCRIPTION:no start at all")]
    public void Parse_Throws_WhenStartIsMissingOrInvalid(string line)
    {
        var text = Calendar(null, $"UID:nostart\nSUMMARY:Floating idea\n{line}");

        var error = Assert.Throws<CalendarSourceException>(() => IcsCalendarParser.Parse(text, "s.ics"));

        Assert.Equal("s.ics: event \"Floating idea\" (UID nostart) has no valid DTSTART.", error.Message);
    }

    [Fact]
    public async Task ParseAsync_StopsReading_WhenStreamIsLargerThanLimit()
    {
        using var stream = new EndlessCalendarStream();

        var error = await Assert.ThrowsAsync<CalendarSourceException>(
            () => IcsCalendarParser.ParseAsync(stream, "big.ics", maxBytes: 1024 * 1024, CancellationToken.None));

        Assert.Equal(CalendarErrorKind.BadData, error.Kind);
        Assert.Equal("big.ics is larger than the 1 MiB limit for an ICS calendar (Calendars:Ics:MaxBytes).", error.Message);
        Assert.InRange(stream.BytesRead, 1024 * 1024, (1024 * 1024) + (128 * 1024));
    }

    [Fact]
    public async Task ParseAsync_ReadsCalendar_WhenStreamIsWithinLimit()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Read(Outlook12)));

        var calendar = await IcsCalendarParser.ParseAsync(stream, Outlook12, maxBytes: 1024 * 1024, CancellationToken.None);

        Assert.Equal(1, calendar.EventCount);
    }

    /// <summary>A calendar that never ends: counts what was read, so a test can see reading stopped.</summary>
    private sealed class EndlessCalendarStream : Stream
    {
        private static readonly byte[] Line = Encoding.ASCII.GetBytes("X-PADDING:0123456789012345678901234567890123456789\r\n");

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[offset + i] = Line[(int)((BytesRead + i) % Line.Length)];
            }

            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
