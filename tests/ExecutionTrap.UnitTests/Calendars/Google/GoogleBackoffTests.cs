using ExecutionTrap.Calendars.Google;

namespace ExecutionTrap.UnitTests.Calendars.Google;

public sealed class GoogleBackoffTests
{
    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1000)]
    [InlineData(2, 1.0, 2000)]
    [InlineData(3, 0.5, 3000)]
    public void Delay_DoublesPerAttemptWithinJitter(int failedAttempt, double jitter, double expectedMilliseconds)
    {
        var delay = GoogleBackoff.Delay(failedAttempt, TimeSpan.FromSeconds(1), jitter);

        Assert.Equal(expectedMilliseconds, delay.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Delay_StaysUnderTheCap_WhenAttemptsPileUp()
    {
        var delay = GoogleBackoff.Delay(40, TimeSpan.FromSeconds(1), 1.0);

        Assert.Equal(GoogleBackoff.MaxDelay, delay);
    }
}
