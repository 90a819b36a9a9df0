using ExecutionTrap.Domain.Scoring;
using NodaTime;

namespace ExecutionTrap.UnitTests.Domain;

public sealed class IsoWeekTests
{
    [Theory]
    [InlineData("2026-W47", 2026, 11, 16)]
    [InlineData("2026-W01", 2025, 12, 29)] // week 1 of 2026 starts in December 2025
    [InlineData("2020-W53", 2020, 12, 28)] // a 53-week year
    public void Parse_GivesTheMonday_OfTheIsoWeek(string text, int year, int month, int day)
    {
        var week = IsoWeek.Parse(text);

        Assert.Equal(new LocalDate(year, month, day), week.Monday);
        Assert.Equal(text, week.ToString());
    }

    [Theory]
    [InlineData("2026-W54")]
    [InlineData("2026-W00")]
    [InlineData("2026-47")]
    [InlineData("last week")]
    [InlineData("")]
    public void TryParse_Refuses_WhenTheTextIsNotAnIsoWeek(string text)
    {
        Assert.False(IsoWeek.TryParse(text, out _));
    }

    [Fact]
    public void Next_CrossesTheYear_FromTheLastWeek()
    {
        Assert.Equal(IsoWeek.Parse("2027-W01"), IsoWeek.Parse("2026-W53").Next);
    }
}
