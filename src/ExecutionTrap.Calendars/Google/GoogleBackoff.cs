namespace ExecutionTrap.Calendars.Google;

/// <summary>
/// Exponential back-off as Google documents it for its rate limits: wait 2ⁿ seconds plus up to a second of random
/// milliseconds, doubling per retry, never past a maximum; a <c>Retry-After</c> Google sends is waited at least.
/// </summary>
internal static class GoogleBackoff
{
    /// <summary>The longest back-off; the random milliseconds come on top.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(32);

    /// <summary>The first wait after a rate-limit answer (403 rateLimitExceeded, 429), whatever the configured base.</summary>
    public static readonly TimeSpan RateLimitFloor = TimeSpan.FromSeconds(1);

    /// <summary>A longer <c>Retry-After</c> is not waited inside the job: it fails the attempt and the job's retries take over.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The wait after the <paramref name="failedAttempt"/>-th failure (1-based): base·2ⁿ⁻¹ (capped) plus
    /// <paramref name="jitter"/> (0–1) of one base. A rate limit raises the base to a second, as Google asks;
    /// a <paramref name="retryAfter"/> is a lower bound.
    /// </summary>
    public static TimeSpan Delay(int failedAttempt, TimeSpan baseDelay, double jitter, bool rateLimited = false, TimeSpan? retryAfter = null)
    {
        var unit = rateLimited && baseDelay < RateLimitFloor ? RateLimitFloor : baseDelay;
        var exponential = Math.Min(unit.TotalMilliseconds * Math.Pow(2, Math.Clamp(failedAttempt - 1, 0, 30)), MaxDelay.TotalMilliseconds);
        var backoff = TimeSpan.FromMilliseconds(exponential + (unit.TotalMilliseconds * Math.Clamp(jitter, 0, 1)));
        return retryAfter is { } asked && asked > backoff ? asked : backoff;
    }
}
