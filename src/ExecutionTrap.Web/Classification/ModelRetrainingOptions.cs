using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Web.Classification;

/// <summary>The "ModelRetraining" configuration section: the nightly retraining of each organisation's model.</summary>
public sealed class ModelRetrainingOptions
{
    public const string SectionName = "ModelRetraining";

    /// <summary>When the nightly retraining runs (cron, UTC).</summary>
    [Required]
    public string Cron { get; set; } = "30 2 * * *";

    /// <summary>An organisation needs at least this many corrections before a model of its own is trained.</summary>
    [Range(1, 100_000)]
    public int MinimumCorrections { get; set; } = 20;

    /// <summary>The share of the shipped data held out to compare the new model with the current one.</summary>
    [Range(0.05, 0.5)]
    public double ShippedSliceFraction { get; set; } = 0.15;

    /// <summary>The share of the organisation's corrections held out the same way.</summary>
    [Range(0.05, 0.5)]
    public double CorrectionSliceFraction { get; set; } = 0.2;

    /// <summary>Folds of the cross-validation that calibrates the new model's confidences.</summary>
    [Range(2, 10)]
    public int CalibrationFolds { get; set; } = 5;

    /// <summary>A labelled TSV file used instead of the shipped training data; empty for the shipped data.</summary>
    public string? TrainingDataPath { get; set; }
}
