using ExecutionTrap.Domain.Privacy;

namespace ExecutionTrap.UnitTests.Domain;

public sealed class MinimumGroupTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)] // one leader: the aggregate is that person's number
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(40, true)]
    public void Allows_ShowsOnlyGroupsOfTheDefaultSize_WhenNotConfigured(int leaders, bool shown)
    {
        Assert.Equal(shown, MinimumGroup.Default.Allows(leaders));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_Refuses_WhenTheSizeIsBelowThree(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MinimumGroup(size));
    }

    [Fact]
    public void Allows_FollowsTheConfiguredSize_WhenAtLeastThree()
    {
        var rule = new PrivacyOptions { MinimumGroupSize = 3 }.ToRule();

        Assert.False(rule.Allows(2));
        Assert.True(rule.Allows(3));
        Assert.Equal("fewer than 3 leaders: hidden to protect privacy", rule.HiddenReason);
    }

    [Fact]
    public void PrivacyOptions_FailValidation_WhenTheSizeIsBelowThree()
    {
        var options = new PrivacyOptions { MinimumGroupSize = 2 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
    }
}
