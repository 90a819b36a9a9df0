using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.UnitTests.Classification.Training;

public sealed class LabelledDataFileTests
{
    [Fact]
    public void Parse_ReadsTitlesAndSignals_WhenLinesAreWellFormed()
    {
        var text = "# comment\nexecution\tWeekly status\n\npeople-development\tAna / Ben\t2\t30\ttrue\nexcluded\tLunch\t\t\t\n";

        var examples = LabelledDataFile.Parse(new StringReader(text), "data.tsv");

        Assert.Equal(3, examples.Count);
        Assert.True(examples[0].Signals.IsUnknown);
        Assert.Equal(2, examples[1].Signals.Attendees);
        Assert.Equal(30, examples[1].Signals.Minutes);
        Assert.True(examples[1].Signals.Recurring);
        Assert.True(examples[2].Signals.IsUnknown); // empty trailing fields mean unknown, not zero
    }

    [Fact]
    public void Parse_MapsExclusionReasonsToExcluded()
    {
        var examples = LabelledDataFile.Parse(new StringReader("not-a-meeting\tGym\nout-of-office\tHoliday\n"), "data.tsv");

        Assert.All(examples, e => Assert.Equal("excluded", e.Label));
    }

    [Theory]
    [InlineData("execution\tok\nstrat\tQ3 offsite", "data.tsv line 2: unknown label 'strat'")]
    [InlineData("execution Weekly status", "data.tsv line 1: expected label<TAB>title")]
    [InlineData("execution\t  ", "data.tsv line 1: the title is empty")]
    [InlineData("execution\tStandup\ttwo", "data.tsv line 1: attendees 'two' is not a positive whole number")]
    [InlineData("execution\tStandup\t4\t-15", "data.tsv line 1: minutes '-15' is not a positive number")]
    [InlineData("execution\tStandup\t4\t15\tsometimes", "data.tsv line 1: recurring 'sometimes' is not true/false")]
    [InlineData("execution\tA\t1\t2\ttrue\textra", "data.tsv line 1: expected at most 5 tab-separated fields")]
    public void Parse_NamesTheFileAndLine_WhenALineIsBad(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LabelledDataFile.Parse(new StringReader(text), "data.tsv"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SkipsAHeaderLine()
    {
        var examples = LabelledDataFile.Parse(new StringReader("label\ttitle\nstrategy\tRoadmap\n"), "data.tsv");

        Assert.Single(examples);
    }

    [Fact]
    public void Read_NamesThePath_WhenTheFileIsMissing()
    {
        var path = Path.Combine(Path.GetTempPath(), "etrap-missing-" + Guid.NewGuid().ToString("N") + ".tsv");

        var error = Assert.Throws<FileNotFoundException>(() => LabelledDataFile.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
