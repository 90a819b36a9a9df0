using ExecutionTrap.Classification.Features;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Classification.Training;

/// <summary>
/// One labelled event for training or evaluation: a category slug or <see cref="Labels.Excluded"/>,
/// a title, and whatever signals the source knew (null = unknown).
/// </summary>
internal sealed record LabelledExample(string Label, string Title, MeetingSignals Signals)
{
    public LabelledExample(string label, string title)
        : this(label, title, MeetingSignals.Unknown)
    {
    }

    public LabelledExample WithoutSignals() => this with { Signals = MeetingSignals.Unknown };
}

/// <summary>The six classes a model decides between, in the order reports print them.</summary>
internal static class ModelClasses
{
    public static IReadOnlyList<string> All { get; } =
        [.. Labels.AllCategories.Select(c => c.ToSlug()), Labels.Excluded];

    public static bool IsKnown(string label) => All.Contains(label, StringComparer.Ordinal);
}
