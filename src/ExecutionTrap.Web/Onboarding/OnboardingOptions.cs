namespace ExecutionTrap.Web.Onboarding;

/// <summary>Leaders and calendars declared in configuration, created at start if missing.</summary>
public sealed class OnboardingOptions
{
    public const string SectionName = "Onboarding";

    public List<SeedLeader> Leaders { get; set; } = [];

    /// <summary>The role and target given to leaders of a new organisation.</summary>
    public string DefaultRoleName { get; set; } = "Leader";

    public double DefaultRoleTarget { get; set; } = 50;
}

public sealed class SeedLeader
{
    public string Email { get; set; } = "";

    public string? DisplayName { get; set; }

    public string TimeZone { get; set; } = "UTC";

    /// <summary>ICS files or feed URLs.</summary>
    public List<string> Calendars { get; set; } = [];
}
