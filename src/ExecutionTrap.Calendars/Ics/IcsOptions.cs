using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>Limits for reading ICS files and feeds (section <c>Calendars:Ics</c>).</summary>
public sealed class IcsOptions : IValidatableObject
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    /// <summary>The longest feed address accepted; longer ones are refused before anything is stored or read.</summary>
    public const int MaxAddressLength = 2048;

    /// <summary>The largest ICS body read; reading stops there and the read fails with a clear message.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>How long one read of a feed may take, retries and the body download included.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Whether an address may be a path on this machine. Only the command-line tool turns it on
    /// (its user reads their own files); the web host ignores this setting and never reads a
    /// local file for a leader.
    /// </summary>
    public bool AllowLocalFiles { get; set; }

    /// <summary>
    /// Whether plain http:// feeds may be read (an intranet calendar server without TLS). Off:
    /// only https, and a redirect from https to http is refused.
    /// </summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Networks (CIDRs such as 10.20.0.0/16, or single addresses) feeds may be read from although
    /// they are loopback, private, link-local or otherwise refused: an intranet calendar server.
    /// Empty: only public addresses.
    /// </summary>
    public IList<string> AllowedNetworks { get; set; } = [];

    /// <summary>How many redirects one read follows; each target is checked like the address itself.</summary>
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 3;

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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in AllowedNetworks)
        {
            string? error = null;
            try
            {
                IcsAddressPolicy.ParseNetwork(network);
            }
            catch (FormatException e)
            {
                error = e.Message;
            }

            if (error is not null)
            {
                yield return new ValidationResult($"AllowedNetworks: {error}", [nameof(AllowedNetworks)]);
            }
        }
    }
}

/// <summary>How far one expansion may go (see <see cref="IcsOptions"/>).</summary>
internal sealed record IcsLimits(int MaxOccurrencesPerEvent, int MaxOccurrencesPerWindow)
{
    public static readonly IcsLimits Default = new(2_000, 20_000);
}
