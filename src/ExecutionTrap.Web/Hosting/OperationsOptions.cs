using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Web.Hosting;

/// <summary>Health checks and metrics ("Operations" section).</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>How long the readiness check waits for the SMTP relay's greeting and EHLO answer.</summary>
    [Range(1, 60)]
    public int SmtpCheckTimeoutSeconds { get; set; } = 5;

    /// <summary>How long an SMTP check's answer is reused, so frequent probes do not hammer the relay.</summary>
    [Range(0, 3600)]
    public int SmtpCheckCacheSeconds { get; set; } = 30;

    /// <summary>How often the sync-lag gauges are recomputed from the database.</summary>
    [Range(5, 3600)]
    public int SyncLagSampleSeconds { get; set; } = 30;
}
