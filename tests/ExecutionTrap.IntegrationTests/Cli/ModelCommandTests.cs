using System.Text.Json;

namespace ExecutionTrap.IntegrationTests.Cli;

public sealed class ModelCommandTests : IDisposable
{
    private static readonly string[] Classes =
        ["execution", "escalation", "firefighting", "strategy", "people-development", "excluded"];

    private readonly CliFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string HeldOut => Path.Combine(CliFiles.RepositoryRoot, "data", "heldout.tsv");

    [Fact]
    public async Task Evaluate_PrintsTheContractJson_WhenTheFormatIsJson()
    {
        var result = await CliRunner.RunAsync("model", "evaluate", "--data", HeldOut, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var report = result.Json();
        Assert.InRange(report.GetProperty("accuracy").GetDouble(), 0.5, 1);
        Assert.InRange(report.GetProperty("macroF1").GetDouble(), 0.5, 1);
        var perClass = report.GetProperty("perClass");
        Assert.Equal(Classes.Order(), perClass.EnumerateObject().Select(p => p.Name).Order());
        Assert.All(perClass.EnumerateObject(), c =>
        {
            foreach (var measure in new[] { "precision", "recall", "f1" })
            {
                Assert.Equal(JsonValueKind.Number, c.Value.GetProperty(measure).ValueKind);
                Assert.InRange(c.Value.GetProperty(measure).GetDouble(), 0, 1);
            }
        });
    }

    [Fact]
    public async Task Evaluate_ReportsTheRealWorldSetBeforeTheHeldOutFile_WhenNoDataIsGiven()
    {
        var result = await CliRunner.RunAsync("model", "evaluate");

        Assert.Equal(0, result.ExitCode);
        var realWorld = result.Out.IndexOf("realworld", StringComparison.Ordinal);
        var heldOut = result.Out.IndexOf("heldout.tsv", StringComparison.Ordinal);
        Assert.InRange(realWorld, 0, heldOut - 1);
        Assert.Contains("wrong with confidence >= 0.9", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_PrintsBothSetsAsJson_WhenNoDataIsGivenAndTheFormatIsJson()
    {
        var result = await CliRunner.RunAsync("model", "evaluate", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var report = result.Json();
        Assert.Equal(["realWorld", "heldOut"], report.EnumerateObject().Select(p => p.Name));
        Assert.InRange(report.GetProperty("realWorld").GetProperty("sureButWrong").GetProperty("share").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Evaluate_PrintsMeasuresConfusionAndCalibration_WhenTheFormatIsText()
    {
        var result = await CliRunner.RunAsync("model", "evaluate", "--data", HeldOut);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("precision", result.Out, StringComparison.Ordinal);
        Assert.Contains("macro-F1", result.Out, StringComparison.Ordinal);
        Assert.Contains("accuracy", result.Out, StringComparison.Ordinal);
        Assert.Contains("confusion", result.Out, StringComparison.Ordinal);
        Assert.Contains("calibration", result.Out, StringComparison.Ordinal);

        // One row of the confusion matrix per class, each with six counts.
        foreach (var label in Classes)
        {
            var row = result.Out.ReplaceLineEndings("\n").Split('\n')
                .Last(l => l.StartsWith(label + " ", StringComparison.Ordinal));
            Assert.Equal(6, row[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }

    [Theory]
    [InlineData("execution\tWeekly status – Project Atlas\nmeeting\tQ3 strategy offsite\n", "line 2", "meeting")] // a label the guide does not have
    [InlineData("execution\tWeekly status – Project Atlas\nstrategy Q3 strategy offsite\n", "line 2", "tab")] // spaces where the tab should be
    public async Task Evaluate_FailsNamingTheFileAndLine_WhenALineIsBad(string content, string line, string problem)
    {
        var data = _files.Write("bad.tsv", content);

        var result = await CliRunner.RunAsync("model", "evaluate", "--data", data);

        result.AssertBadInput("bad.tsv", line, problem);
    }

    [Fact]
    public async Task Evaluate_FailsWithOneLine_WhenTheDataFileIsMissing()
    {
        var data = _files.PathOf("missing.tsv");

        var result = await CliRunner.RunAsync("model", "evaluate", "--data", data);

        result.AssertBadInput("--data", "missing.tsv");
    }

    [Fact]
    public async Task Train_WritesAModelThatClassifyLoads_WhenOnlyTheGivenDataIsUsed()
    {
        var lines = (await File.ReadAllLinesAsync(HeldOut)).Where((_, i) => i % 10 == 0);
        var data = _files.Write("small.tsv", string.Join('\n', lines) + "\n");
        var model = _files.PathOf("m.zip");

        var trained = await CliRunner.RunAsync("model", "train", "--data", data, "--out", model, "--only");
        var classified = await CliRunner.RunAsync("classify", "--model", model, "--format", "json", "Weekly status – Project Atlas", "Lunch");

        Assert.Equal(0, trained.ExitCode);
        Assert.Contains("macro-F1", trained.Out, StringComparison.Ordinal);
        Assert.True(new FileInfo(model).Length > 0);
        Assert.Equal(0, classified.ExitCode);
        var items = classified.Json().EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Contains(i.GetProperty("category").GetString(), Classes));
    }
}
