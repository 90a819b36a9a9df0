using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Web.Hosting;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Caps the syncs one process runs against each provider at once (Jobs:ProviderConcurrency), so that a
/// large sync round does not turn every worker onto one provider's rate limits at the same moment.
/// </summary>
internal sealed class ProviderSyncLimiter(IOptions<JobsOptions> options)
{
    private readonly ConcurrentDictionary<CalendarProvider, SemaphoreSlim?> _gates = new();

    public SemaphoreSlim? GateFor(CalendarProvider provider) =>
        _gates.GetOrAdd(provider, p => options.Value.ProviderConcurrency.TryGetValue(p, out var limit) ? new SemaphoreSlim(limit, limit) : null);
}

/// <summary>A calendar source behind its provider's cap, counting the events it hands to the sync.</summary>
internal sealed class LimitedCalendarSource(ICalendarSource inner, ProviderSyncLimiter limiter, ExecutionTrapMetrics metrics) : ICalendarSource
{
    public CalendarProvider Provider => inner.Provider;

    public async IAsyncEnumerable<CalendarPage> ReadAsync(CalendarReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var gate = limiter.GateFor(inner.Provider);
        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            await foreach (var page in inner.ReadAsync(request, cancellationToken))
            {
                yield return page;

                // The sync asks for the next page only once it has stored this one.
                metrics.EventsSynced(inner.Provider, page.Changed.Count + page.Removed.Count);
            }
        }
        finally
        {
            gate?.Release();
        }
    }
}
