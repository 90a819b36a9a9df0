using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExecutionTrap.IntegrationTests.Cli;

public sealed partial class ClassifyCommandTests : IDisposable
{
    private readonly CliFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Classify_PrintsCategoryConfidenceAndTitle_WhenTitlesAreArguments()
    {
        var result = await CliRunner.RunAsync(
            "classify",
            "Weekly status – Project Atlas",
            "SEV1 bridge – payments outage",
            "Q3 strategy offsite",
            "1:1 Priya / Dana",
            "Escalation: Northwind contract",
            "Lunch");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var lines = Lines(result.Out);
        Assert.All(lines, line => Assert.Matches(TextLine(), line));
        Assert.Equal(
            ["execution", "firefighting", "strategy", "people-development", "escalation", "excluded"],
            lines.Select(l => l.Split('\t')[0]));
        Assert.Equal(
            ["Weekly status – Project Atlas", "SEV1 bridge – payments outage", "Q3 strategy offsite", "1:1 Priya / Dana", "Escalation: Northwind contract", "Lunch"],
            lines.Select(l => l.Split('\t')[2]));
    }

    [Fact]
    public async Task Classify_ReadsOneTitlePerLine_WhenNoTitleIsGiven()
    {
        var result = await CliRunner.RunWithInputAsync("Weekly status – Project Atlas\r\n\r\nQ3 strategy offsite\n", "classify");

        // Blank lines and Windows line endings in piped input are not titles.
        Assert.Equal(0, result.ExitCode);
        var lines = Lines(result.Out);
        Assert.Equal(2, lines.Count);
        Assert.Equal("execution", lines[0].Split('\t')[0]);
        Assert.Equal("Q3 strategy offsite", lines[1].Split('\t')[2]);
    }

    [Fact]
    public async Task Classify_AddsAFourthColumn_WhenExplainIsGiven()
    {
        var result = await CliRunner.RunAsync("classify", "--explain", "SEV1 bridge – payments outage");

        var columns = Assert.Single(Lines(result.Out)).Split('\t');
        Assert.Equal(4, columns.Length);
        Assert.Equal("firefighting", columns[0]);
        Assert.NotEmpty(columns[3]);
    }

    [Fact]
    public async Task Classify_PrintsAJsonArray_WhenTheFormatIsJson()
    {
        var result = await CliRunner.RunAsync("classify", "--format", "json", "Q3 strategy offsite", "Lunch");

        Assert.Equal(0, result.ExitCode);
        var items = result.Json().EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, item => Assert.Equal(["title", "category", "confidence"], item.EnumerateObject().Select(p => p.Name)));
        Assert.Equal("Q3 strategy offsite", items[0].GetProperty("title").GetString());
        Assert.Equal("strategy", items[0].GetProperty("category").GetString());
        Assert.Equal("excluded", items[1].GetProperty("category").GetString());
        var confidence = items[0].GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0, 1);
        Assert.Equal(Math.Round(confidence, 2), confidence);
    }

    [Fact]
    public async Task Classify_AddsAnEvidenceArray_WhenTheFormatIsJsonAndExplainIsGiven()
    {
        var result = await CliRunner.RunAsync("classify", "--format", "json", "--explain", "Escalation: Northwind contract");

        var item = Assert.Single(result.Json().EnumerateArray());
        Assert.Equal(["title", "category", "confidence", "evidence"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, item.GetProperty("evidence").ValueKind);
        Assert.Contains(item.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.Contains("escalation", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Classify_FailsWithOneLine_WhenTheModelIsNotAModelFile()
    {
        var model = _files.Write("model.zip", """{"not":"a model"}""");

        var result = await CliRunner.RunAsync("classify", "--model", model, "Weekly status – Project Atlas");

        result.AssertBadInput("--model", "model.zip", "not a model file");
    }

    [Fact]
    public async Task Classify_FailsWithOneLine_WhenTheModelFileIsMissing()
    {
        var model = _files.PathOf("missing.zip");

        var result = await CliRunner.RunAsync("classify", "--model", model, "Weekly status – Project Atlas");

        result.AssertBadInput("--model", "missing.zip");
    }

    private static List<string> Lines(string text) =>
        [.. text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex(@"^[a-z-]+\t(0|1)\.\d{2}\t.+$")]
    private static partial Regex TextLine();
}
