namespace ExecutionTrap.Web.Hosting;

/// <summary>What one process of the single executable does.</summary>
public enum HostRole
{
    /// <summary>Pages, API and background workers in one process: the embedded default.</summary>
    Both,

    /// <summary>Pages, API, health and metrics; enqueues jobs but runs none.</summary>
    Web,

    /// <summary>Hangfire servers; answers health and metrics only.</summary>
    Worker,
}

/// <summary>The process's role ("Host:Role" = web, worker or both).</summary>
public sealed class HostRoleOptions
{
    public const string SectionName = "Host";

    /// <summary>web, worker or both (the default).</summary>
    public HostRole Role { get; set; } = HostRole.Both;

    public bool ServesWeb => Role is HostRole.Both or HostRole.Web;

    public bool RunsJobs => Role is HostRole.Both or HostRole.Worker;

    internal static HostRoleOptions From(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<HostRoleOptions>() ?? new HostRoleOptions();
}
