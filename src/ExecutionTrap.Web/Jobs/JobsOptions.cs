using System.ComponentModel.DataAnnotations;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Web.Jobs;

public enum JobStorageKind
{
    InMemory,
    PostgreSql,
}

/// <summary>Background jobs: where Hangfire keeps them, which queues this process serves and how often they run.</summary>
public sealed class JobsOptions : IValidatableObject
{
    public const string SectionName = "Jobs";

    /// <summary>InMemory (embedded default, one process) or PostgreSql (several workers on one database).</summary>
    public JobStorageKind Storage { get; set; } = JobStorageKind.InMemory;

    /// <summary>Hangfire's PostgreSQL connection string; empty means Storage:ConnectionString.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether this process runs a Hangfire server (a worker); web-only processes set false.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Workers of the shared server, which serves every queue not listed in <see cref="Queues"/>.</summary>
    [Range(1, 256)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>
    /// Queues with their own server and worker count ("Jobs:Queues:sync:Workers"): sync, classify, reports, email.
    /// A queue listed with 0 workers is not served by this process at all.
    /// </summary>
    public Dictionary<string, JobQueueOptions> Queues { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a stopping worker lets running jobs finish before cancelling them.</summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Cron of the sync round (UTC).</summary>
    [Required]
    public string SyncCron { get; set; } = "*/15 * * * *";

    /// <summary>
    /// The sync round spreads its connections over this many seconds, each at a stable offset, instead of
    /// enqueuing them all at once; keep it below the round's interval. 0 enqueues them all at once.
    /// </summary>
    [Range(0, 86400)]
    public int SyncSpreadSeconds { get; set; } = 600;

    /// <summary>
    /// Most connections one sync job takes, one after another: those that start in the same slot of the round
    /// share a job, so Hangfire's bookkeeping is paid per batch, not per calendar.
    /// </summary>
    [Range(1, 1000)]
    public int SyncBatchSize { get; set; } = 25;

    /// <summary>
    /// Most syncs one process runs against a provider at once ("Jobs:ProviderConcurrency:Microsoft");
    /// a provider not listed is limited by the worker count only.
    /// </summary>
    public Dictionary<CalendarProvider, int> ProviderConcurrency { get; set; } = new()
    {
        [CalendarProvider.Microsoft] = 8,
        [CalendarProvider.Google] = 8,
    };

    /// <summary>Cron of the check for reports that are due (each leader's own day and hour decide).</summary>
    [Required]
    public string ReportsCron { get; set; } = "*/10 * * * *";

    /// <summary>
    /// Leaders whose reports one job builds and sends: their weeks are scored together, three queries for the
    /// batch instead of three per leader. 1 sends every report as a job of its own.
    /// </summary>
    [Range(1, 1000)]
    public int ReportBatchSize { get; set; } = 100;

    /// <summary>
    /// PostgreSQL job storage: how long a job taken by a worker stays hidden from the others. A job still
    /// unfinished after this long is given to another worker, so it also bounds how long a killed worker's
    /// jobs wait; keep it above the longest job (every job body is safe to run twice). A fixed timeout,
    /// not Hangfire.PostgreSql's sliding one: under load a fetched job can be orphaned, and the sliding
    /// keep-alive then hides it for good (bench/README.md).
    /// </summary>
    [Range(10, 86400)]
    public int InvisibilityTimeoutSeconds { get; set; } = 1800;

    /// <summary>
    /// PostgreSQL job storage: when a Hangfire lock (a job's state change, a recurring round that must not
    /// overlap) counts as abandoned. A worker cut off mid-change (a database restart, a killed process)
    /// leaves its lock behind, and that job waits this long. Keep it above the longest sync or report round.
    /// </summary>
    [Range(10, 86400)]
    public int DistributedLockTimeoutSeconds { get; set; } = 300;

    /// <summary>PostgreSQL job storage: how often an idle worker asks for new jobs.</summary>
    [Range(1, 60)]
    public int QueuePollSeconds { get; set; } = 15;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (queue, options) in Queues)
        {
            if (!JobsHostingExtensions.Queues.Contains(queue, StringComparer.OrdinalIgnoreCase))
            {
                yield return new ValidationResult($"{SectionName}:Queues:{queue} is not a queue; the queues are {string.Join(", ", JobsHostingExtensions.Queues)}.", [nameof(Queues)]);
            }

            if (options.Workers is < 0 or > 256)
            {
                yield return new ValidationResult($"{SectionName}:Queues:{queue}:Workers must be between 0 and 256.", [nameof(Queues)]);
            }
        }

        foreach (var (provider, limit) in ProviderConcurrency)
        {
            if (limit < 1)
            {
                yield return new ValidationResult($"{SectionName}:ProviderConcurrency:{provider} must be at least 1.", [nameof(ProviderConcurrency)]);
            }
        }
    }
}

/// <summary>One queue's server ("Jobs:Queues:&lt;name&gt;").</summary>
public sealed class JobQueueOptions
{
    /// <summary>Workers that take jobs from this queue only; 0 leaves the queue to other processes.</summary>
    public int Workers { get; set; } = 1;
}
