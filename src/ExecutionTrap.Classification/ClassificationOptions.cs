using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Classification;

/// <summary>The "Classification" configuration section.</summary>
public sealed class ClassificationOptions
{
    public const string SectionName = "Classification";

    /// <summary>A model file (from <c>etrap model train</c>) used instead of the built-in model; empty for the built-in one.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Decisions with a confidence below this are shown as uncertain (0–1).</summary>
    [Range(0.0, 1.0)]
    public double UncertainBelow { get; set; } = 0.5;
}
