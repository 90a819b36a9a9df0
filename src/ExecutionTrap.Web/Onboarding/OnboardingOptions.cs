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

    /// <summary>
    /// The Microsoft tenant id of the leader's organisation, so they share it with colleagues who sign in with
    /// Microsoft. Leave empty (and WorkspaceDomain too) for an organisation of declared leaders only.
    /// </summary>
    public string? Tenant { get; set; }

    /// <summary>The Google Workspace domain (hd) of the leader's organisation, for colleagues who sign in with Google.</summary>
    public string? WorkspaceDomain { get; set; }

    /// <summary>The leader's object id (oid) in Tenant, or Google subject (sub): their own sign-in then finds this leader.</summary>
    public string? ObjectId { get; set; }

    /// <summary>ICS files or feed URLs.</summary>
    public List<string> Calendars { get; set; } = [];
}
