using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Calendars.Microsoft;

/// <summary>Microsoft 365 calendars through Microsoft Graph (section <c>Calendars:Microsoft</c>).</summary>
public sealed class MicrosoftCalendarOptions
{
    public const string SectionName = "Calendars:Microsoft";

    /// <summary>The Graph API root that <c>/me/calendarView/delta</c> is appended to (national clouds differ).</summary>
    [Required]
    [Url]
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>The Microsoft identity platform host that issues tokens.</summary>
    [Required]
    [Url]
    public string Authority { get; set; } = "https://login.microsoftonline.com";

    /// <summary>The tenant segment of the token endpoint: <c>common</c>, <c>organizations</c> or a tenant id.</summary>
    [Required]
    public string Tenant { get; set; } = "common";

    /// <summary>The app registration's client id; needed to connect and refresh, not for a fixed access token.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app registration's secret (from an environment variable: <c>Calendars__Microsoft__ClientSecret</c>).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Events per delta page, sent as <c>Prefer: odata.maxpagesize</c>.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 50;

    /// <summary>Graph requests in flight at once for one tenant; Graph throttles per mailbox and per tenant.</summary>
    [Range(1, 64)]
    public int MaxConcurrencyPerTenant { get; set; } = 4;

    /// <summary>Attempts per Graph request, the first included, before giving up on 429 and 5xx answers.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off delay when Graph sends no <c>Retry-After</c>; it doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between attempts, whatever <c>Retry-After</c> asks for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one attempt may take before it counts as failed and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
