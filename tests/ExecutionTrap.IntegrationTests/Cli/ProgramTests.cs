using ExecutionTrap.IntegrationTests.Calendars.Google;
using ExecutionTrap.IntegrationTests.Calendars.Microsoft;

namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>
/// The built program as a shell script sees it (<c>dotnet etrap.dll</c>): exit codes, a clean stdout,
/// and errors as one line on stderr, whatever logging or the runtime would print by default.
/// </summary>
public sealed class ProgramTests : IDisposable
{
    private readonly CliFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Main_PrintsOnlyTheJson_WhenAnalyzeSucceeds()
    {
        var source = CliFiles.IcsFixture("google-export-moved-instance-recurrence-id.ics");

        var result = await CliRunner.RunProgramAsync(_files.Scratch, null, "analyze", source, "--week", "2021-W50", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Equal("2021-W50", result.Json().GetProperty("week").GetString());
    }

    [Fact]
    public async Task Main_ExitsWithOneLine_WhenTheFileWasCutShort()
    {
        var whole = await File.ReadAllTextAsync(CliFiles.IcsFixture("outlook12-export-windows-tzid.ics"));
        var source = _files.Write("cut.ics", whole[..(whole.Length / 2)]);

        var result = await CliRunner.RunProgramAsync(_files.Scratch, null, "analyze", source);

        result.AssertBadInput("cut.ics");
    }

    [Fact]
    public async Task Main_ExitsWithOneLine_WhenTheTimeZoneIsUnknown()
    {
        var source = CliFiles.IcsFixture("outlook12-export-windows-tzid.ics");

        var result = await CliRunner.RunProgramAsync(_files.Scratch, null, "analyze", source, "--timezone", "Mars/Olympus");

        result.AssertBadInput("--timezone", "Mars/Olympus");
    }

    [Theory]
    [InlineData("report")] // unknown command
    [InlineData("analyze", "--bogus")] // unknown option
    [InlineData("analyze")] // missing SOURCE
    public async Task Main_ExitsWith2_WhenTheCommandLineIsWrong(params string[] args)
    {
        var result = await CliRunner.RunProgramAsync(_files.Scratch, null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("etrap: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_ExitsWith3NamingTheStatus_WhenGraphKeepsThrottling()
    {
        await using var graph = await GraphReplayServer.StartAsync();
        graph.AnswerGraphWithFixture("graph-error-429-toomanyrequests.json", status: 429);
        graph.AnswerGraphWithFixture("graph-error-429-toomanyrequests.json", status: 429);
        var fastRetries = new Dictionary<string, string>
        {
            ["Calendars__Microsoft__MaxAttempts"] = "2",
            ["Calendars__Microsoft__RetryBaseDelay"] = "00:00:00.010",
        };

        var result = await CliRunner.RunProgramAsync(
            _files.Scratch, fastRetries, "fetch", "--provider", "microsoft", "--access-token", "T", "--base-url", graph.GraphBaseUrl);

        // The retries configured for the service apply to the CLI too: two attempts, then exit 3.
        Assert.True(result.ExitCode == 3, $"exit code {result.ExitCode}, stderr: {result.Error}");
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("Microsoft Graph", line, StringComparison.Ordinal);
        Assert.Contains("429", line, StringComparison.Ordinal);
        Assert.Equal(2, graph.GraphRequests.Count);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Main_ExitsWith3NamingTheStatus_WhenGoogleKeepsRateLimiting()
    {
        await using var google = await GoogleReplayServer.StartAsync();
        google.Events(ReplayResponse.Fixture("google-error-403-ratelimitexceeded.json", status: 403))
            .Events(ReplayResponse.Fixture("google-error-403-ratelimitexceeded.json", status: 403));
        var fastRetries = new Dictionary<string, string>
        {
            ["Calendars__Google__MaxAttempts"] = "2",
            ["Calendars__Google__BackoffBaseDelay"] = "00:00:00.010",
        };

        var result = await CliRunner.RunProgramAsync(
            _files.Scratch, fastRetries, "fetch", "--provider", "google", "--access-token", "T", "--base-url", google.ApiBaseUrl);

        Assert.True(result.ExitCode == 3, $"exit code {result.ExitCode}, stderr: {result.Error}");
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("Google Calendar", line, StringComparison.Ordinal);
        Assert.Contains("403", line, StringComparison.Ordinal);
        Assert.Equal(2, google.EventRequests.Count);
        Assert.Equal("", result.Out);
    }
}
