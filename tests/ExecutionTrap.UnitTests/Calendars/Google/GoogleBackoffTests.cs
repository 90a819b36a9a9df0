using ExecutionTrap.Calendars.Google;

namespace ExecutionTrap.UnitTests.Calendars.Google;

public sealed class GoogleBackoffTests
{
    // Google's documented back-off: 2ⁿ seconds plus up to 1,000 random milliseconds.
    [Theory]
    [InlineData(1, 0.0, 1000)]
    [InlineData(1, 1.0, 2000)]
    [InlineData(2, 0.0, 2000)]
    [InlineData(2, 1.0, 3000)]
    [InlineData(3, 0.5, 4500)]
    public void Delay_DoublesPerAttemptPlusRandomMilliseconds(int failedAttempt, double jitter, double expectedMilliseconds)
    {
        var delay = GoogleBackoff.Delay(failedAttempt, TimeSpan.FromSeconds(1), jitter);

        Assert.Equal(expectedMilliseconds, delay.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Delay_StaysUnderTheCapPlusJitter_WhenAttemptsPileUp()
    {
        var delay = GoogleBackoff.Delay(40, TimeSpan.FromSeconds(1), 1.0);

        Assert.Equal(GoogleBackoff.MaxDelay + TimeSpan.FromSeconds(1), delay);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Delay_WaitsAtLeastASecond_WhenRateLimitedWithATinyConfiguredBase(double jitter)
    {
        // The old rule waited base·[½, 1]: half a second on the first rate limit.
        var delay = GoogleBackoff.Delay(1, TimeSpan.FromMilliseconds(5), jitter, rateLimited: true);

        Assert.InRange(delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Delay_WaitsRetryAfter_WhenItIsLongerThanTheBackoff()
    {
        var delay = GoogleBackoff.Delay(1, TimeSpan.FromSeconds(1), 0.5, rateLimited: true, retryAfter: TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), delay);
    }

    [Fact]
    public void Delay_KeepsTheBackoff_WhenRetryAfterIsShorter()
    {
        var delay = GoogleBackoff.Delay(2, TimeSpan.FromSeconds(1), 0.0, rateLimited: true, retryAfter: TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(2), delay);
    }
}
