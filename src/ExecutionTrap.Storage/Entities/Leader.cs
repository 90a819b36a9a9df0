using NodaTime;

namespace ExecutionTrap.Storage.Entities;

public sealed class Leader
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    public required string Email { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>IANA zone id; weeks and report times are in this zone.</summary>
    public string TimeZone { get; set; } = "UTC";

    public Guid? RoleId { get; set; }

    public RoleEntity? Role { get; set; }

    public bool IsAdmin { get; set; }

    /// <summary>The directory job title (Microsoft 365), used by role rules.</summary>
    public string? JobTitle { get; set; }

    public IsoDayOfWeek ReportDay { get; set; } = IsoDayOfWeek.Monday;

    public int ReportHour { get; set; } = 7;

    public bool ReportsEnabled { get; set; } = true;

    /// <summary>Whether a week with nothing scored still sends a short note.</summary>
    public bool SendQuietWeekNote { get; set; } = true;

    /// <summary>Set when the mail server refused the address for good (5xx); no more reports until it changes.</summary>
    public Instant? EmailBouncedAt { get; set; }

    public Instant CreatedAt { get; set; }

    public List<CalendarConnection> Connections { get; set; } = [];
}
