using System.Diagnostics.Metrics;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// The service's own metrics, exported at /metrics. Labels stay bounded: job class names and providers,
/// never connection or leader ids; the sync lag is a max and a p95 over all connections.
/// </summary>
internal sealed class ExecutionTrapMetrics
{
    public const string MeterName = "ExecutionTrap";

    private readonly Counter<long> _jobsRun;
    private readonly Counter<long> _jobsFailed;
    private readonly Counter<long> _jobsRetried;
    private readonly Counter<long> _eventsSynced;
    private readonly Counter<long> _emailsSent;
    private SyncLag? _syncLag;

    public ExecutionTrapMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _jobsRun = meter.CreateCounter<long>("etrap.jobs.run", "{job}", "Background jobs performed, whatever their outcome.");
        _jobsFailed = meter.CreateCounter<long>("etrap.jobs.failed", "{job}", "Background jobs that failed for good (no retry left).");
        _jobsRetried = meter.CreateCounter<long>("etrap.jobs.retried", "{job}", "Background job attempts that failed and were scheduled to retry.");
        _eventsSynced = meter.CreateCounter<long>("etrap.events.synced", "{event}", "Calendar events read from providers and stored (changed or removed).");
        _emailsSent = meter.CreateCounter<long>("etrap.emails.sent", "{email}", "Emails handed to the relay or the pickup folder.");
        meter.CreateObservableGauge("etrap.sync.lag.max", () => Observe(lag => lag.MaxSeconds), "s", "Longest time since a connection's last successful sync.");
        meter.CreateObservableGauge("etrap.sync.lag.p95", () => Observe(lag => lag.P95Seconds), "s", "95th percentile of the time since each connection's last successful sync.");
        meter.CreateObservableGauge("etrap.sync.connections", () => Observe(lag => lag.Connections), "{connection}", "Connections the sync rounds cover.");
    }

    public void JobRun(string job) => _jobsRun.Add(1, new KeyValuePair<string, object?>("job", job));

    public void JobFailed(string job) => _jobsFailed.Add(1, new KeyValuePair<string, object?>("job", job));

    public void JobRetried(string job) => _jobsRetried.Add(1, new KeyValuePair<string, object?>("job", job));

    public void EventsSynced(CalendarProvider provider, int count) =>
        _eventsSynced.Add(count, new KeyValuePair<string, object?>("provider", provider.ToString().ToLowerInvariant()));

    public void EmailSent() => _emailsSent.Add(1);

    public void RecordSyncLag(SyncLag lag) => Volatile.Write(ref _syncLag, lag);

    // Nothing is reported until the first sample, so a process that cannot read the database shows no lag rather than zero.
    private IEnumerable<Measurement<double>> Observe(Func<SyncLag, double> value)
    {
        var lag = Volatile.Read(ref _syncLag);
        return lag is null ? [] : [new Measurement<double>(value(lag))];
    }
}

/// <summary>How far behind the sync is: over all connections, the longest and the 95th-percentile time since their last sync.</summary>
internal sealed record SyncLag(double MaxSeconds, double P95Seconds, int Connections)
{
    public static SyncLag From(IReadOnlyCollection<TimeSpan> lags)
    {
        if (lags.Count == 0)
        {
            return new SyncLag(0, 0, 0);
        }

        var sorted = lags.Select(l => Math.Max(0, l.TotalSeconds)).Order().ToArray();

        // Nearest rank: the smallest lag that at least 95% of connections do not exceed.
        var rank = (int)Math.Ceiling(0.95 * sorted.Length);
        return new SyncLag(sorted[^1], sorted[rank - 1], sorted.Length);
    }
}
