using System.Globalization;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>
/// Reads <c>Retry-After</c> the way Graph actually sends it: whole seconds, fractional seconds
/// ("2.128", which <see cref="System.Net.Http.Headers.RetryConditionHeaderValue"/> rejects) or an HTTP date.
/// </summary>
internal static class RetryAfter
{
    public static bool TryParse(HttpResponseMessage response, DateTimeOffset now, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (TryParse(value, now, out delay))
            {
                return true;
            }
        }

        return false;
    }

    public static bool TryParse(string? value, DateTimeOffset now, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsFinite(seconds) && seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                delay = TimeSpan.FromSeconds(seconds);
                return true;
            }

            return false;
        }

        if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            // A date already past means "now"; a negative delay would be refused by the retry strategy.
            delay = date > now ? date - now : TimeSpan.Zero;
            return true;
        }

        return false;
    }
}
