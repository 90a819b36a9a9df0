using NodaTime;

namespace ExecutionTrap.Storage.Entities;

public sealed class Leader
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>Where the reports go; never who the person is (another tenant can carry the same address).</summary>
    public required string Email { get; set; }

    /// <summary>
    /// With <see cref="IdentitySubject"/>, the account key: who vouches for the person ("microsoft:{tenant id}",
    /// "google:{Workspace domain}", or "local" for configured and Development sign-in leaders).
    /// </summary>
    public string? IdentityIssuer { get; set; }

    /// <summary>The person's id at <see cref="IdentityIssuer"/>: Microsoft's object id (oid), Google's subject (sub), or the e-mail for "local".</summary>
    public string? IdentitySubject { get; set; }

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
