namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>Exit code 2: the command line itself is wrong; the first stderr line says how, then the usage follows.</summary>
public sealed class EtrapCliTests
{
    [Theory]
    [InlineData("unknown command 'report'", "report")]
    [InlineData("unknown option --weeks", "analyze", "calendar.ics", "--weeks", "2026-W10")] // a typo of --week
    [InlineData("one SOURCE", "analyze")]
    [InlineData("one SOURCE", "analyze", "a.ics", "b.ics")]
    [InlineData("--week needs a value", "analyze", "calendar.ics", "--week")]
    [InlineData("needs a subcommand", "model")]
    [InlineData("unknown model subcommand 'test'", "model", "test")]
    [InlineData("--data", "model", "train", "--out", "model.zip")] // evaluate without --data now runs the real-world set, then the held-out file
    [InlineData("--provider", "fetch", "--access-token", "T")]
    [InlineData("--access-token", "fetch", "--provider", "google")]
    [InlineData("--email-to", "analyze", "calendar.ics", "--smtp", "localhost:25")] // --smtp alone sends nothing
    public async Task RunAsync_ExitsWithUsage_WhenTheCommandLineIsWrong(string problem, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith("etrap: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains(problem, result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("usage: etrap", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PrintsUsageToStderr_WhenNoCommandIsGiven()
    {
        var result = await CliRunner.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("usage: etrap", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PrintsUsageToStdout_WhenHelpIsAsked()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("usage: etrap", result.Out, StringComparison.Ordinal);
        Assert.Contains("--owner", result.Out, StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }
}
