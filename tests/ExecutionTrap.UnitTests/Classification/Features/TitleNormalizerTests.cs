using ExecutionTrap.Classification.Features;

namespace ExecutionTrap.UnitTests.Classification.Features;

public sealed class TitleNormalizerTests
{
    [Theory]
    [InlineData("Weekly Status", "weekly status")]
    [InlineData("RE: FW: Budget review", "budget review")]
    [InlineData("Accepted: Updated invitation: Sprint planning", "sprint planning")]
    [InlineData("Updated invitation with note: Roadmap", "roadmap")]
    [InlineData("INC-4821 war room", "ticketid war room")]
    [InlineData("Review #12345", "review ticketid")]
    [InlineData("Planning 2027, 10:30", "planning num num")]
    [InlineData("Sev1 bridge", "sev1 bridge")] // letters with a digit stay one word: sev1 is not sev2
    [InlineData("1:1 Ana / Ben", "oneonone ana / ben")]
    [InlineData("Zhouyu 1-1", "zhouyu oneonone")]
    [InlineData("Ana <> Ben", "ana <> ben")]
    [InlineData("🔥 Outage!!", "🔥 outage")]
    [InlineData("War room–🔥Orion", "war room 🔥 orion")]
    [InlineData("", "")]
    public void Normalize_GivesTheModelText(string title, string expected)
    {
        var normalized = TitleNormalizer.Normalize(title);

        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void StripMailPrefixes_KeepsTheCase()
    {
        var stripped = TitleNormalizer.StripMailPrefixes("Fwd: Ana / Ben");

        Assert.Equal("Ana / Ben", stripped);
    }
}
