using ExecutionTrap.Calendars.Microsoft;

namespace ExecutionTrap.UnitTests.Calendars.Microsoft;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1", 1000)]
    [InlineData("2.128", 2128)] // Graph's throttling docs show fractional seconds
    [InlineData("0", 0)]
    [InlineData("Mon, 02 Mar 2026 08:00:30 GMT", 30000)]
    [InlineData("Mon, 02 Mar 2026 07:59:00 GMT", 0)] // a date already past means "now"
    public void TryParse_ReadsTheDelay_WhenTheHeaderIsValid(string header, int expectedMilliseconds)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        var parsed = RetryAfter.TryParse(response, Now, out var delay);

        Assert.True(parsed);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), delay);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("")]
    public void TryParse_ReturnsFalse_WhenTheHeaderIsUnreadable(string header)
    {
        var parsed = RetryAfter.TryParse(header, Now, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void TryParse_ReturnsFalse_WhenThereIsNoHeader()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);

        var parsed = RetryAfter.TryParse(response, Now, out _);

        Assert.False(parsed);
    }
}
