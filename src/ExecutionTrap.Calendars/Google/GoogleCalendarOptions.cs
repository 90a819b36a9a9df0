using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Calendars.Google;

/// <summary>How the Google Calendar connector reaches Google: API and OAuth endpoints, client registration, retries.</summary>
public sealed class GoogleCalendarOptions
{
    public const string SectionName = "Calendars:Google";

    /// <summary>The Calendar v3 root that <c>calendars/{id}/events</c> is appended to.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = "https://www.googleapis.com/calendar/v3/";

    /// <summary>The OAuth token endpoint: code exchange and refresh.</summary>
    [Required]
    [Url]
    public string TokenEndpoint { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>The OAuth authorization endpoint the leader's browser is sent to when connecting.</summary>
    [Required]
    [Url]
    public string AuthorizationEndpoint { get; set; } = "https://accounts.google.com/o/oauth2/v2/auth";

    /// <summary>The OAuth client id; needed only to connect leaders and refresh their tokens.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth client secret; from the environment (<c>Calendars__Google__ClientSecret</c>), never from a file in the repository.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Attempts per request when Google rate-limits or fails (5xx, network), the first one included.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off delay; each retry doubles it, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BackoffBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Events per page asked of Google (<c>maxResults</c>, at most 2500).</summary>
    [Range(1, 2500)]
    public int PageSize { get; set; } = 250;
}
