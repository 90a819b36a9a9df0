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

    /// <summary>
    /// The most occurrences one recurring event yields inside a sync window; the rest of that
    /// series is left out and the read is flagged as capped. A weekly meeting has 10 in a
    /// ten-week window, a daily one 70: 2,000 is far beyond any real series.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxOccurrencesPerEvent { get; set; } = IcsLimits.Default.MaxOccurrencesPerEvent;

    /// <summary>
    /// The most meetings one read of a calendar yields for its window; past it the read stops
    /// and is flagged as capped, so that no calendar can fill a worker's memory.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxOccurrencesPerWindow { get; set; } = IcsLimits.Default.MaxOccurrencesPerWindow;

    internal IcsLimits Limits => new(MaxOccurrencesPerEvent, MaxOccurrencesPerWindow);
}

/// <summary>How far one expansion may go (see <see cref="IcsOptions"/>).</summary>
internal sealed record IcsLimits(int MaxOccurrencesPerEvent, int MaxOccurrencesPerWindow)
{
    public static readonly IcsLimits Default = new(2_000, 20_000);
}
