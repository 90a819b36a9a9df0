using System.Globalization;
using System.Text.RegularExpressions;

namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>Only what bench prints and that its counts add up: timings are the machine's business, not a test's.</summary>
public sealed partial class BenchCommandTests
{
    [Fact]
    public async Task Bench_PrintsTheThreeFigures_WhenRunSmall()
    {
        var result = await CliRunner.RunAsync("bench", "--events", "500", "--titles", "1000", "--runs", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var ics = IcsLine().Match(result.Out);
        Assert.True(ics.Success, result.Out);

        // Each series loses one occurrence to its EXDATE, so a little under the 500 asked for.
        Assert.InRange(int.Parse(ics.Groups["events"].Value, CultureInfo.InvariantCulture), 450, 500);
        Assert.Matches(ClassifyLine(), result.Out);
        var week = WeekLine().Match(result.Out);
        Assert.True(week.Success, result.Out);
        Assert.InRange(int.Parse(week.Groups["meetings"].Value, CultureInfo.InvariantCulture), 1, 500);
    }

    [Fact]
    public async Task Bench_FailsWithOneLine_WhenACountIsOutOfRange()
    {
        var result = await CliRunner.RunAsync("bench", "--events", "5");

        result.AssertBadInput("--events", "5");
    }

    [GeneratedRegex(@"ics parse\+expand: (?<events>\d+) events \(\d+ VEVENTs, one year\) in [\d.]+ ms = [\d,]+ events/s")]
    private static partial Regex IcsLine();

    [GeneratedRegex(@"classification .*: 1000 titles in \d+ ms = [\d,]+ titles/s")]
    private static partial Regex ClassifyLine();

    [GeneratedRegex(@"week scoring: (?<meetings>\d+) meetings in [\d.]+ µs per week")]
    private static partial Regex WeekLine();
}
