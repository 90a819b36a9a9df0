using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Web.Jobs;

public enum JobStorageKind
{
    InMemory,
    PostgreSql,
}

/// <summary>Background jobs: where Hangfire keeps them and how often they run.</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>InMemory (embedded default, one process) or PostgreSql (several workers on one database).</summary>
    public JobStorageKind Storage { get; set; } = JobStorageKind.InMemory;

    /// <summary>Hangfire's PostgreSQL connection string; empty means Storage:ConnectionString.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether this process runs a Hangfire server (a worker); web-only processes set false.</summary>
    public bool RunWorker { get; set; } = true;

    [Range(1, 256)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Cron of the sync round (UTC).</summary>
    [Required]
    public string SyncCron { get; set; } = "*/15 * * * *";

    /// <summary>Cron of the check for reports that are due (each leader's own day and hour decide).</summary>
    [Required]
    public string ReportsCron { get; set; } = "*/10 * * * *";

    /// <summary>
    /// PostgreSQL job storage: how long a job taken by a worker that died stays hidden before another
    /// worker runs it. Live workers keep their jobs hidden however long they run. Keep it longer than
    /// <see cref="SyncLeaseSeconds"/>: a sync run again while the dead worker's lease holds ends without syncing.
    /// </summary>
    [Range(10, 86400)]
    public int InvisibilityTimeoutSeconds { get; set; } = 600;

    /// <summary>PostgreSQL job storage: how often an idle worker asks for new jobs.</summary>
    [Range(1, 60)]
    public int QueuePollSeconds { get; set; } = 15;

    /// <summary>How long a worker holds a connection's sync lease before another may take it.</summary>
    [Range(10, 3600)]
    public int SyncLeaseSeconds { get; set; } = 300;
}
