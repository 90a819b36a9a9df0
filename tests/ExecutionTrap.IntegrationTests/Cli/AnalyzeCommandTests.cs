using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExecutionTrap.IntegrationTests.Cli;

public sealed partial class AnalyzeCommandTests : IDisposable
{
    private static readonly string[] WeekKeys =
        ["week", "timezone", "target", "executionScore", "trapped", "scoredMinutes", "minutesByCategory", "meetings"];

    private static readonly string[] MeetingKeys =
        ["title", "start", "end", "category", "confidence", "scoredMinutes", "excluded"]; // the contract of cli.md: "not sure" is said in text and in the web API, never as a new field here

    private static readonly string[] CategoryKeys =
        ["execution", "escalation", "firefighting", "strategy", "people-development"];

    private readonly CliFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Analyze_PrintsTheContractJson_WhenTheWeekHoldsAMovedInstance()
    {
        var source = CliFiles.IcsFixture("google-export-moved-instance-recurrence-id.ics");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2021-W50", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var week = result.Json();
        AssertContractShape(week);
        Assert.Equal("2021-W50", week.GetProperty("week").GetString());
        Assert.Equal("Europe/Berlin", week.GetProperty("timezone").GetString());
        Assert.Equal(50, week.GetProperty("target").GetDouble());

        // The RECURRENCE-ID moved the 31 December instance to 17 December 21:30 Berlin time.
        var karaoke = Assert.Single(week.GetProperty("meetings").EnumerateArray());
        Assert.Equal("Karaoke", karaoke.GetProperty("title").GetString());
        Assert.Equal("2021-12-17T20:30:00Z", karaoke.GetProperty("start").GetString());
        Assert.Equal("2021-12-17T20:30:00Z", karaoke.GetProperty("end").GetString());

        // TRANSP:TRANSPARENT is shown as free, and free comes before not-a-meeting (zero length).
        Assert.Equal("free", karaoke.GetProperty("excluded").GetString());
        Assert.Equal(JsonValueKind.Null, karaoke.GetProperty("category").ValueKind);
        Assert.Equal(0, karaoke.GetProperty("scoredMinutes").GetInt32());
        Assert.Equal(JsonValueKind.Null, week.GetProperty("executionScore").ValueKind);
        Assert.False(week.GetProperty("trapped").GetBoolean());
    }

    [Fact]
    public async Task Analyze_ListsNoMeeting_WhenTheOnlyOccurrenceOfTheWeekWasMovedAway()
    {
        var source = CliFiles.IcsFixture("google-export-moved-instance-recurrence-id.ics");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2021-W52", "--format", "json");

        // The last Friday of December (the 31st) is the occurrence the override replaced.
        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        AssertContractShape(week);
        Assert.Empty(week.GetProperty("meetings").EnumerateArray());
        Assert.Equal(0, week.GetProperty("scoredMinutes").GetInt32());
        Assert.All(CategoryKeys, key => Assert.Equal(0, week.GetProperty("minutesByCategory").GetProperty(key).GetInt32()));
    }

    [Fact]
    public async Task Analyze_ExcludesAllDayEvents_WhenTheWeekHoldsOnlyAllDayEvents()
    {
        var source = CliFiles.IcsFixture("exchange2010-recurring-windows-tzid-recurrence-id.ics");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2020-W16", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        AssertContractShape(week);

        // Windows TZID "GMT Standard Time" is Europe/London; the override moved Thursday's bin to Friday.
        Assert.Equal("Europe/London", week.GetProperty("timezone").GetString());
        var bin = Assert.Single(week.GetProperty("meetings").EnumerateArray());
        Assert.Equal("Refuse black bin", bin.GetProperty("title").GetString());
        Assert.Equal("2020-04-16T23:00:00Z", bin.GetProperty("start").GetString());
        Assert.Equal("2020-04-17T23:00:00Z", bin.GetProperty("end").GetString());
        Assert.Equal("all-day", bin.GetProperty("excluded").GetString());
        Assert.Equal(0, bin.GetProperty("scoredMinutes").GetInt32());
        Assert.Equal(0, week.GetProperty("scoredMinutes").GetInt32());
        Assert.Equal(JsonValueKind.Null, week.GetProperty("executionScore").ValueKind);
    }

    [Fact]
    public async Task Analyze_ReadsTheWindowsZone_WhenTheExportUsesAWindowsTzid()
    {
        var source = CliFiles.IcsFixture("outlook12-export-windows-tzid.ics");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2008-W03", "--format", "json");

        // "W. Australia Standard Time" is Australia/Perth; 23:30Z on Thursday is Friday morning there.
        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        AssertContractShape(week);
        Assert.Equal("Australia/Perth", week.GetProperty("timezone").GetString());
        var busy = Assert.Single(week.GetProperty("meetings").EnumerateArray());
        Assert.Equal("Busy", busy.GetProperty("title").GetString());
        Assert.Equal("2008-01-17T23:30:00Z", busy.GetProperty("start").GetString());
        Assert.Equal("2008-01-18T02:30:00Z", busy.GetProperty("end").GetString());
        Assert.Equal(180, busy.GetProperty("scoredMinutes").GetInt32());

        // A title that says nothing is execution, with low confidence (label guide).
        Assert.Equal("execution", busy.GetProperty("category").GetString());
        Assert.True(busy.GetProperty("confidence").GetDouble() < 0.7);
        Assert.Equal(180, week.GetProperty("scoredMinutes").GetInt32());
        Assert.Equal(100.0, week.GetProperty("executionScore").GetDouble());
        Assert.True(week.GetProperty("trapped").GetBoolean());
    }

    [Fact]
    public async Task Analyze_CountsEachCategory_WhenTheWeekIsOrdinary()
    {
        var source = _files.Write("ordinary.ics", IcsText.Calendar(
            "Europe/London",
            London("before", "Weekly status – Project Atlas", "20260301T090000", "20260301T100000"),
            London("status", "Weekly status – Project Atlas", "20260302T090000", "20260302T100000"),
            London("sev1", "SEV1 bridge – payments outage", "20260303T140000", "20260303T153000"),
            London("offsite", "Q3 strategy offsite", "20260304T090000", "20260304T120000"),
            London("one-to-one", "1:1 Priya / Dana", "20260305T100000", "20260305T103000"),
            London("escalation", "Escalation: Northwind contract", "20260306T110000", "20260306T114500"),
            London("lunch", "Lunch", "20260306T120000", "20260306T130000"),
            London("after", "Weekly status – Project Atlas", "20260309T090000", "20260309T100000")));

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        AssertContractShape(week);
        AssertMinutes(week, execution: 60, escalation: 45, firefighting: 90, strategy: 180, peopleDevelopment: 30);
        Assert.Equal(405, week.GetProperty("scoredMinutes").GetInt32());

        // (60 + 45 + 90) / 405 = 48.148…: one decimal, within the default target of 50.
        Assert.Equal(48.1, week.GetProperty("executionScore").GetDouble());
        Assert.False(week.GetProperty("trapped").GetBoolean());
        var meetings = week.GetProperty("meetings").EnumerateArray().ToList();
        Assert.Equal(
            ["Weekly status – Project Atlas", "SEV1 bridge – payments outage", "Q3 strategy offsite", "1:1 Priya / Dana", "Escalation: Northwind contract", "Lunch"],
            meetings.Select(m => m.GetProperty("title").GetString()));
        Assert.Equal(
            ["execution", "firefighting", "strategy", "people-development", "escalation", null],
            meetings.Select(m => m.GetProperty("category").GetString()));
        Assert.Equal([60, 90, 180, 30, 45, 0], meetings.Select(m => m.GetProperty("scoredMinutes").GetInt32()));
        Assert.Equal("not-a-meeting", meetings[^1].GetProperty("excluded").GetString());
        Assert.Equal("2026-03-02T09:00:00Z", meetings[0].GetProperty("start").GetString());
        Assert.All(meetings.Take(5), m => Assert.True(m.GetProperty("confidence").GetDouble() >= 0.8));
    }

    [Fact]
    public async Task Analyze_IsTrapped_WhenTheScoreIsAboveTheGivenTarget()
    {
        var source = _files.Write("ordinary.ics", IcsText.Calendar(
            "Europe/London",
            London("status", "Weekly status – Project Atlas", "20260302T090000", "20260302T100000"),
            London("offsite", "Q3 strategy offsite", "20260304T090000", "20260304T100000")));

        var atFifty = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10", "--format", "json");
        var atFortyNine = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10", "--format", "json", "--target", "49.5");

        // Trapped means above the target: a score equal to it is not.
        Assert.Equal(50.0, atFifty.Json().GetProperty("executionScore").GetDouble());
        Assert.False(atFifty.Json().GetProperty("trapped").GetBoolean());
        Assert.Equal(49.5, atFortyNine.Json().GetProperty("target").GetDouble());
        Assert.True(atFortyNine.Json().GetProperty("trapped").GetBoolean());
    }

    [Fact]
    public async Task Analyze_CountsRealMinutes_WhenTheWeekHoldsTheSpringDstChange()
    {
        var source = _files.Write("dst.ics", IcsText.Calendar(
            "Europe/London",
            IcsText.Event(
                "standup",
                "Daily standup – Project Atlas",
                "DTSTART;TZID=Europe/London:20260323T090000",
                "DTEND;TZID=Europe/London:20260323T100000",
                "RRULE:FREQ=DAILY;COUNT=7"),
            London("bridge", "SEV1 bridge – payments outage", "20260329T003000", "20260329T033000"),
            London("offsite", "Q3 strategy offsite", "20260330T003000", "20260330T020000")));

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W13", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        var meetings = week.GetProperty("meetings").EnumerateArray().ToList();
        var standups = meetings.Where(m => m.GetProperty("title").GetString() == "Daily standup – Project Atlas").ToList();
        Assert.Equal(7, standups.Count);
        Assert.Equal("2026-03-28T09:00:00Z", standups[5].GetProperty("start").GetString());

        // Sunday 29 March: London is on BST, so 09:00 local is 08:00Z.
        Assert.Equal("2026-03-29T08:00:00Z", standups[6].GetProperty("start").GetString());
        Assert.Equal("2026-03-29T09:00:00Z", standups[6].GetProperty("end").GetString());
        Assert.All(standups, s => Assert.Equal(60, s.GetProperty("scoredMinutes").GetInt32()));

        // 00:30 GMT to 03:30 BST on the change night is two hours, not three.
        var bridge = Assert.Single(meetings, m => m.GetProperty("title").GetString() == "SEV1 bridge – payments outage");
        Assert.Equal("2026-03-29T00:30:00Z", bridge.GetProperty("start").GetString());
        Assert.Equal("2026-03-29T02:30:00Z", bridge.GetProperty("end").GetString());
        Assert.Equal(120, bridge.GetProperty("scoredMinutes").GetInt32());

        // 00:30 BST on Monday 30 March is 23:30Z on Sunday, but the London week has ended.
        Assert.DoesNotContain(meetings, m => m.GetProperty("title").GetString() == "Q3 strategy offsite");
        AssertMinutes(week, execution: 420, escalation: 0, firefighting: 120, strategy: 0, peopleDevelopment: 0);
        Assert.Equal(540, week.GetProperty("scoredMinutes").GetInt32());
        Assert.Equal(100.0, week.GetProperty("executionScore").GetDouble());
    }

    [Fact]
    public async Task Analyze_SharesOverlappingMinutesEqually_WhenScoredMeetingsOverlap()
    {
        var source = _files.Write("overlap.ics", IcsText.Calendar(
            "Europe/London",
            London("status", "Weekly status – Project Atlas", "20260309T090000", "20260309T100000"),
            London("offsite", "Q3 strategy offsite", "20260309T093000", "20260309T103000"),
            London("lunch", "Lunch", "20260309T094500", "20260309T101500"),
            London("one-to-one", "1:1 Priya / Dana", "20260310T100000", "20260310T110000"),
            London("escalation", "Escalation: Northwind contract", "20260310T101500", "20260310T104500")));

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W11", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        var minutes = week.GetProperty("meetings").EnumerateArray()
            .ToDictionary(m => m.GetProperty("title").GetString()!, m => m.GetProperty("scoredMinutes").GetInt32());

        // 09:30–10:00 is shared by status and offsite (15 each); the excluded lunch takes no share.
        Assert.Equal(45, minutes["Weekly status – Project Atlas"]);
        Assert.Equal(45, minutes["Q3 strategy offsite"]);
        Assert.Equal(0, minutes["Lunch"]);

        // The escalation sits inside the 1:1: its 30 minutes are split, the 1:1 keeps its 30 alone.
        Assert.Equal(45, minutes["1:1 Priya / Dana"]);
        Assert.Equal(15, minutes["Escalation: Northwind contract"]);
        AssertMinutes(week, execution: 45, escalation: 15, firefighting: 0, strategy: 45, peopleDevelopment: 45);
        Assert.Equal(150, week.GetProperty("scoredMinutes").GetInt32());
        Assert.Equal(40.0, week.GetProperty("executionScore").GetDouble());
    }

    [Fact]
    public async Task Analyze_KeepsWholeMinutesThatAddUp_WhenThreeMeetingsShareTenMinutes()
    {
        var source = _files.Write("three.ics", IcsText.Calendar(
            "Europe/London",
            London("status", "Weekly status – Project Atlas", "20260311T090000", "20260311T091000"),
            London("sev1", "SEV1 bridge – payments outage", "20260311T090000", "20260311T091000"),
            London("offsite", "Q3 strategy offsite", "20260311T090000", "20260311T091000")));

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W11", "--format", "json");

        // 10 / 3 is not whole: the shares are 4, 3 and 3, never 3.33 and never 9 or 12 in total.
        var week = result.Json();
        var shares = week.GetProperty("meetings").EnumerateArray().Select(m => m.GetProperty("scoredMinutes").GetInt32()).Order().ToList();
        Assert.Equal([3, 3, 4], shares);
        Assert.Equal(10, week.GetProperty("scoredMinutes").GetInt32());
    }

    [Fact]
    public async Task Analyze_GivesTheFirstReasonOfThePrecedence_WhenEventsAreExcluded()
    {
        var source = _files.Write("excluded.ics", ExcludedWeek());

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W12", "--format", "json", "--owner", "dana@example.com");

        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        var meetings = week.GetProperty("meetings").EnumerateArray().ToList();
        Assert.Equal(
            [
                "cancelled", // also declined by Dana: cancelled comes first
                "declined", // also transparent: declined comes before free
                "all-day", // also OOF: all-day comes before out-of-office
                "out-of-office", // also transparent: the busy status wins and OOF comes before free
                "free",
                "free", // a transparent lunch: free comes before not-a-meeting
                "not-a-meeting",
                null,
            ],
            meetings.Select(m => m.GetProperty("excluded").GetString()));
        Assert.All(meetings.Take(7), m =>
        {
            Assert.Equal(JsonValueKind.Null, m.GetProperty("category").ValueKind);
            Assert.Equal(0, m.GetProperty("scoredMinutes").GetInt32());
        });
        Assert.Equal("execution", meetings[^1].GetProperty("category").GetString());
        AssertMinutes(week, execution: 60, escalation: 0, firefighting: 0, strategy: 0, peopleDevelopment: 0);
        Assert.Equal(100.0, week.GetProperty("executionScore").GetDouble());
    }

    [Fact]
    public async Task Analyze_DoesNotKnowWhoDeclined_WhenNoOwnerIsGiven()
    {
        var source = _files.Write("excluded.ics", ExcludedWeek());

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W12", "--format", "json");

        // Without --owner the PARTSTAT of Dana's attendee line is nobody's answer: the declined event is only transparent.
        var excluded = result.Json().GetProperty("meetings").EnumerateArray().Select(m => m.GetProperty("excluded").GetString()).ToList();
        Assert.Equal("cancelled", excluded[0]);
        Assert.Equal("free", excluded[1]);
    }

    [Fact]
    public async Task Analyze_UsesTheGivenZoneForTheWeek_WhenTimezoneIsGiven()
    {
        var source = _files.Write("late.ics", IcsText.Calendar(
            "Europe/London",
            London("late", "Weekly status – Project Atlas", "20260308T233000", "20260309T003000")));

        var london = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10", "--format", "json");
        var tokyoW10 = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10", "--format", "json", "--timezone", "Asia/Tokyo");
        var tokyoW11 = await CliRunner.RunAsync("analyze", source, "--week", "2026-W11", "--format", "json", "--timezone", "Asia/Tokyo");

        // Sunday 23:30 in London is already Monday 08:30 in Tokyo: the next ISO week there.
        Assert.Single(london.Json().GetProperty("meetings").EnumerateArray());
        Assert.Equal("Asia/Tokyo", tokyoW10.Json().GetProperty("timezone").GetString());
        Assert.Empty(tokyoW10.Json().GetProperty("meetings").EnumerateArray());
        Assert.Single(tokyoW11.Json().GetProperty("meetings").EnumerateArray());
    }

    [Fact]
    public async Task Analyze_WritesTheJsonToTheFile_WhenOutIsGiven()
    {
        var source = CliFiles.IcsFixture("outlook12-export-windows-tzid.ics");
        var output = _files.PathOf("week.json");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2008-W03", "--format", "json", "--out", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Out);
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(output));
        AssertContractShape(written.RootElement);
    }

    [Fact]
    public async Task Analyze_PrintsTheScoreAndEachMeeting_WhenTheFormatIsText()
    {
        var source = CliFiles.IcsFixture("outlook12-export-windows-tzid.ics");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2008-W03");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2008-W03", result.Out, StringComparison.Ordinal);
        Assert.Contains("execution score 100.0", result.Out, StringComparison.Ordinal);
        Assert.Contains("Busy", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_PrintsTheReportPage_WhenTheFormatIsHtml()
    {
        var source = Path.Combine(CliFiles.RepositoryRoot, "samples", "leader-month.ics");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W46", "--format", "html");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("<html", result.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("2026-W46", result.Out, StringComparison.Ordinal);
    }

    private static string London(string uid, string title, string start, string end) =>
        IcsText.Event(uid, title, $"DTSTART;TZID=Europe/London:{start}", $"DTEND;TZID=Europe/London:{end}");

    private static string ExcludedWeek()
    {
        const string Declined = "ATTENDEE;CN=Dana;PARTSTAT=DECLINED:mailto:dana@example.com";
        return IcsText.Calendar(
            "Europe/London",
            IcsText.Event("cancelled", "Weekly status – Project Atlas", "DTSTART;TZID=Europe/London:20260316T090000", "DTEND;TZID=Europe/London:20260316T100000", "STATUS:CANCELLED", Declined),
            IcsText.Event("declined", "Escalation: Northwind contract", "DTSTART;TZID=Europe/London:20260316T110000", "DTEND;TZID=Europe/London:20260316T120000", "TRANSP:TRANSPARENT", Declined),
            IcsText.Event("all-day", "SEV1 bridge – payments outage", "DTSTART;VALUE=DATE:20260317", "DTEND;VALUE=DATE:20260318", "X-MICROSOFT-CDO-BUSYSTATUS:OOF"),
            IcsText.Event("ooo", "Q3 strategy offsite", "DTSTART;TZID=Europe/London:20260318T090000", "DTEND;TZID=Europe/London:20260318T170000", "TRANSP:TRANSPARENT", "X-MICROSOFT-CDO-BUSYSTATUS:OOF"),
            IcsText.Event("free", "1:1 Priya / Dana", "DTSTART;TZID=Europe/London:20260319T100000", "DTEND;TZID=Europe/London:20260319T110000", "TRANSP:TRANSPARENT"),
            IcsText.Event("free-lunch", "Lunch", "DTSTART;TZID=Europe/London:20260319T120000", "DTEND;TZID=Europe/London:20260319T130000", "TRANSP:TRANSPARENT"),
            IcsText.Event("lunch", "Lunch", "DTSTART;TZID=Europe/London:20260320T120000", "DTEND;TZID=Europe/London:20260320T130000"),
            IcsText.Event("accepted", "Weekly status – Project Atlas", "DTSTART;TZID=Europe/London:20260320T140000", "DTEND;TZID=Europe/London:20260320T150000", "ATTENDEE;CN=Dana;PARTSTAT=ACCEPTED:mailto:dana@example.com"));
    }

    private static void AssertContractShape(JsonElement week)
    {
        Assert.Equal(WeekKeys, week.EnumerateObject().Select(p => p.Name));
        Assert.Equal(CategoryKeys, week.GetProperty("minutesByCategory").EnumerateObject().Select(p => p.Name));
        Assert.All(week.GetProperty("minutesByCategory").EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
        Assert.True(week.GetProperty("scoredMinutes").TryGetInt32(out _));
        if (week.GetProperty("executionScore").ValueKind != JsonValueKind.Null)
        {
            var score = week.GetProperty("executionScore").GetDouble();
            Assert.Equal(Math.Round(score, 1), score);
        }

        foreach (var meeting in week.GetProperty("meetings").EnumerateArray())
        {
            Assert.Equal(MeetingKeys, meeting.EnumerateObject().Select(p => p.Name));
            Assert.Matches(UtcPattern(), meeting.GetProperty("start").GetString());
            Assert.Matches(UtcPattern(), meeting.GetProperty("end").GetString());
            Assert.True(meeting.GetProperty("scoredMinutes").TryGetInt32(out _));
            var confidence = meeting.GetProperty("confidence").GetDouble();
            Assert.Equal(Math.Round(confidence, 2), confidence);
            var excluded = meeting.GetProperty("excluded");
            if (excluded.ValueKind == JsonValueKind.String)
            {
                Assert.Contains(excluded.GetString(), (string[])["cancelled", "declined", "all-day", "out-of-office", "free", "not-a-meeting"]);
                Assert.Equal(JsonValueKind.Null, meeting.GetProperty("category").ValueKind);
                Assert.Equal(0, meeting.GetProperty("scoredMinutes").GetInt32());
            }
            else
            {
                Assert.Contains(meeting.GetProperty("category").GetString(), CategoryKeys);
            }
        }
    }

    private static void AssertMinutes(JsonElement week, int execution, int escalation, int firefighting, int strategy, int peopleDevelopment)
    {
        var minutes = week.GetProperty("minutesByCategory");
        Assert.Equal(
            [execution, escalation, firefighting, strategy, peopleDevelopment],
            CategoryKeys.Select(k => minutes.GetProperty(k).GetInt32()));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex UtcPattern();
}
