using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>Limits for reading ICS files and feeds (section <c>Calendars:Ics</c>).</summary>
public sealed class IcsOptions
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>The largest ICS body read; reading stops there and the read fails with a clear message.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>How long one read of a feed may take, retries and the body download included.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Whether an address may be a path on this machine. Leave it on for the CLI and single-user
    /// setups; turn it off where leaders type addresses into a shared service, so that nobody can
    /// make the server read its own files.
    /// </summary>
    public bool AllowLocalFiles { get; set; } = true;
}
