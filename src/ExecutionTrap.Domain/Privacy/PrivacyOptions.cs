using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Domain.Privacy;

/// <summary>How many leaders must stand behind anything an admin sees about people.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>
    /// The smallest group of distinct leaders an aggregate (role score spread, series, rule-test title) is shown for;
    /// default 5, never below 3.
    /// </summary>
    [Range(MinimumGroup.SmallestSize, 10_000)]
    public int MinimumGroupSize { get; set; } = MinimumGroup.DefaultSize;

    public MinimumGroup ToRule() => new(MinimumGroupSize);
}
