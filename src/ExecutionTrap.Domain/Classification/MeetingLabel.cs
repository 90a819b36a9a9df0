using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Domain.Classification;

/// <summary>The decision about one meeting: a category, or the reason it is not scored.</summary>
public sealed record MeetingLabel
{
    public Category? Category { get; init; }

    public ExclusionReason? Excluded { get; init; }

    /// <summary>The probability the classifier gives its decision, 0–1; 1 for metadata and rules.</summary>
    public double Confidence { get; init; }

    /// <summary>The words or signals that drove the decision, most important first.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>Which model (or rule, or correction) decided; recorded with every classification.</summary>
    public string DecidedBy { get; init; } = "";

    public bool IsScored => Category is not null;

    /// <summary>
    /// Below this confidence a scored meeting is shown as "not sure" rather than as a firm answer. Confidences are
    /// calibrated, so below one half the model is more likely wrong than right.
    /// </summary>
    public const double NotSureBelow = 0.5;

    /// <summary>True for a scored meeting whose confidence is below <paramref name="below"/>: pages, report and JSON say "not sure".</summary>
    public bool IsNotSure(double below = NotSureBelow) => IsScored && Confidence < below;

    public static MeetingLabel ExcludedBy(ExclusionReason reason, string decidedBy, IReadOnlyList<string>? evidence = null) =>
        new() { Excluded = reason, Confidence = 1, DecidedBy = decidedBy, Evidence = evidence ?? [] };
}
