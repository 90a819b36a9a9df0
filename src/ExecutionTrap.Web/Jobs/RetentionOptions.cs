using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Web.Jobs;

/// <summary>How long meetings are kept: a full read no longer deletes history, so this is what bounds it.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// Months of meetings kept, counted back from today (UTC) to a meeting's end; older ones are deleted by the nightly
    /// purge. 13 keeps a year's trend and the same month of last year.
    /// </summary>
    [Range(1, 600)]
    public int Months { get; set; } = 13;

    /// <summary>Cron of the purge (UTC): nightly, away from the top of the hour the sync and report rounds use.</summary>
    [Required]
    public string PurgeCron { get; set; } = "17 3 * * *";
}
