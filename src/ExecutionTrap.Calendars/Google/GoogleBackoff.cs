namespace ExecutionTrap.Calendars.Google;

/// <summary>Exponential back-off with jitter, as Google asks of clients it rate-limits.</summary>
internal static class GoogleBackoff
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(32);

    /// <summary>The wait after the <paramref name="failedAttempt"/>-th failure (1-based): base·2ⁿ⁻¹, scaled into [½, 1] by <paramref name="jitter"/> (0–1), capped.</summary>
    public static TimeSpan Delay(int failedAttempt, TimeSpan baseDelay, double jitter)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(failedAttempt - 1, 0, 30));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
    }
}
