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

    public static MeetingLabel ExcludedBy(ExclusionReason reason, string decidedBy, IReadOnlyList<string>? evidence = null) =>
        new() { Excluded = reason, Confidence = 1, DecidedBy = decidedBy, Evidence = evidence ?? [] };
}
