namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>Exit code 1 for input that cannot be used: one line on stderr that names what and where.</summary>
public sealed partial class AnalyzeCommandTests
{
    private static readonly byte[] PngHeader = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52];

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenTheFileWasCutShort()
    {
        var whole = await File.ReadAllTextAsync(CliFiles.IcsFixture("google-export-moved-instance-recurrence-id.ics"));
        var source = _files.Write("cut.ics", whole[..(whole.IndexOf("SUMMARY:Karaoke", StringComparison.Ordinal) + 10)]);

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2021-W50");

        // A download cut short must not be read as a calendar with fewer meetings.
        result.AssertBadInput("cut.ics", "END:VCALENDAR");
    }

    [Theory]
    [InlineData("image.png")] // someone picked the wrong attachment
    [InlineData("export.json")] // a provider's API answer saved instead of the feed
    public async Task Analyze_FailsWithOneLine_WhenTheFileIsNotICalendar(string name)
    {
        var source = name.EndsWith(".png", StringComparison.Ordinal)
            ? _files.Write(name, PngHeader)
            : _files.Write(name, """{"value":[{"subject":"Weekly status"}]}""");

        var result = await CliRunner.RunAsync("analyze", source);

        result.AssertBadInput(name, "not an iCalendar file");
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenTheFileIsLargerThanTheLimit()
    {
        var source = _files.PathOf("huge.ics");
        await using (var file = File.Create(source))
        {
            file.SetLength(50L * 1024 * 1024);
        }

        var result = await CliRunner.RunAsync("analyze", source);

        result.AssertBadInput("huge.ics", "larger than", "10 MiB");
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenAnEventEndsBeforeItStarts()
    {
        var source = _files.Write("backwards.ics", IcsText.Calendar(
            "Europe/London",
            London("fine", "Weekly status – Project Atlas", "20260302T090000", "20260302T100000"),
            London("backwards", "Q3 strategy offsite", "20260304T120000", "20260304T090000")));

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10");

        result.AssertBadInput("backwards.ics", "Q3 strategy offsite", "ends before it starts");
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenAnEventNamesAnUnknownTimeZone()
    {
        var source = _files.Write("mars.ics", IcsText.Calendar(
            "Europe/London",
            IcsText.Event("mars", "Weekly status – Project Atlas", "DTSTART;TZID=Mars/Olympus:20260302T090000", "DTEND;TZID=Mars/Olympus:20260302T100000")));

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2026-W10");

        result.AssertBadInput("mars.ics", "Mars/Olympus", "time zone");
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenTheFileDoesNotExist()
    {
        var source = _files.PathOf("nowhere.ics");

        var result = await CliRunner.RunAsync("analyze", source);

        result.AssertBadInput("nowhere.ics", "does not exist");
    }

    [Theory]
    [InlineData("--timezone", "Mars/Olympus", "IANA")]
    [InlineData("--week", "2026-W60", "weeks 1 to 53")] // 2026 has 53 weeks, not 60
    [InlineData("--week", "2025-W53", "weeks 1 to 52")] // a 53rd week exists only in some years
    [InlineData("--week", "2026-13", "ISO week")]
    [InlineData("--target", "120", "0 to 100")] // a percentage cannot pass 100
    [InlineData("--target", "fifty", "0 to 100")]
    [InlineData("--format", "pdf", "text, json, html")]
    [InlineData("--smtp", "localhost", "HOST:PORT")]
    public async Task Analyze_FailsWithOneLine_WhenAnOptionValueIsBad(string option, string value, string explanation)
    {
        var source = CliFiles.IcsFixture("outlook12-export-windows-tzid.ics");

        var result = await CliRunner.RunAsync("analyze", source, option, value, "--email-to", "dana@example.com");

        result.AssertBadInput(option, value, explanation);
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenTheOutputFolderDoesNotExist()
    {
        var source = CliFiles.IcsFixture("outlook12-export-windows-tzid.ics");
        var output = Path.Combine(_files.Scratch, "missing", "week.json");

        var result = await CliRunner.RunAsync("analyze", source, "--week", "2008-W03", "--format", "json", "--out", output);

        result.AssertBadInput("--out", output);
    }

    [Fact]
    public async Task Analyze_ReadsTheFeed_WhenTheSourceIsAnHttpUrl()
    {
        await using var server = await FeedServer.StartAsync(Path.Combine(CliFiles.RepositoryRoot, "samples", "leader-month.ics"));

        var result = await CliRunner.RunAsync("analyze", server.BaseUrl + "/calendar.ics", "--week", "2026-W45", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var week = result.Json();
        Assert.Equal("Europe/London", week.GetProperty("timezone").GetString());
        Assert.True(week.GetProperty("scoredMinutes").GetInt32() > 0);
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenTheFeedAnswers404()
    {
        await using var server = await FeedServer.StartAsync(CliFiles.IcsFixture("outlook12-export-windows-tzid.ics"));
        var url = server.BaseUrl + "/removed.ics";

        var result = await CliRunner.RunAsync("analyze", url);

        // The feed's host, not its path: a published link's path is its password, even on the user's own terminal.
        result.AssertBadInput(server.BaseUrl + "/…", "404");
        Assert.DoesNotContain("removed.ics", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_FailsWithOneLine_WhenTheFeedAnswersWithAnHtmlPage()
    {
        await using var server = await FeedServer.StartAsync(CliFiles.IcsFixture("outlook12-export-windows-tzid.ics"));
        var url = server.BaseUrl + "/signin.ics";

        var result = await CliRunner.RunAsync("analyze", url);

        // Hosts answer 200 with a sign-in page when a published link was reset.
        result.AssertBadInput(server.BaseUrl + "/…", "HTML");
    }
}
