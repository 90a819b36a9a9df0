using ExecutionTrap.Classification.Features;

namespace ExecutionTrap.UnitTests.Classification.Features;

public sealed class TitleHeuristicsTests
{
    [Theory]
    [InlineData("Ana / Ben", true)]
    [InlineData("Ana <> Ben", true)]
    [InlineData("Ana | Ben", true)]
    [InlineData("Ana x Ben", true)]
    [InlineData("Ana & Ben", true)]
    [InlineData("Ana - Ben", true)]
    [InlineData("Ana Lopez / Ben O'Neil", true)]
    [InlineData("José/Zoë", true)]
    [InlineData("Zhouyu 1-1", true)]
    [InlineData("1:1", true)]
    [InlineData("RE: Ana / Ben", true)]
    [InlineData("Sales / Marketing", false)] // teams, not people
    [InlineData("Design / Build review", false)]
    [InlineData("ana / ben", false)] // lower case reads as words, not names
    [InlineData("Ana", false)]
    [InlineData("Project Atlas", false)]
    public void IsNamesOnly_RecognisesTitlesMadeOfNames(string title, bool expected)
    {
        var namesOnly = TitleHeuristics.IsNamesOnly(title);

        Assert.Equal(expected, namesOnly);
    }

    [Theory]
    [InlineData("Meeting", true)]
    [InlineData("Catch up", true)]
    [InlineData("catch-up", true)]
    [InlineData("RE: Call", true)]
    [InlineData("Sync", true)]
    [InlineData("", true)]
    [InlineData("Atlas sync", false)]
    [InlineData("Sev1 call", false)]
    public void SaysNothingAboutWork_RecognisesEmptyTitles(string title, bool expected)
    {
        var vague = TitleHeuristics.SaysNothingAboutWork(title);

        Assert.Equal(expected, vague);
    }
}
