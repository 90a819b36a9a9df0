namespace ExecutionTrap.Classification.Evaluation;

/// <summary>One decision to grade: what the label says, what was predicted, with what confidence.</summary>
internal sealed record ScoredExample(string Expected, string Predicted, double Confidence);

internal sealed record ClassMetrics(string Label, int Support, double Precision, double Recall, double F1);

/// <summary>Examples whose confidence fell in [Lower, Upper): how sure the model was and how often it was right.</summary>
internal sealed record CalibrationBin(double Lower, double Upper, int Count, double MeanConfidence, double Accuracy);

/// <summary>
/// Grades a set of decisions over the six classes. <see cref="Confusion"/>[expected][predicted] counts
/// examples, rows and columns in the order of <see cref="Classes"/>.
/// </summary>
internal sealed record EvaluationReport(
    IReadOnlyList<string> Classes,
    int Count,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    double ExpectedCalibrationError,
    IReadOnlyList<CalibrationBin> Calibration)
{
    /// <summary>Decisions at least this sure that leaders take at face value; issue 13 caps the wrong ones among them.</summary>
    public const double SureConfidence = 0.9;

    /// <summary>Examples decided wrongly with a confidence of at least <see cref="SureConfidence"/>.</summary>
    public int SureButWrong { get; init; }

    /// <summary><see cref="SureButWrong"/> as a share of all examples.</summary>
    public double SureButWrongShare => Count == 0 ? 0 : (double)SureButWrong / Count;

    public ClassMetrics For(string label) => PerClass.Single(c => c.Label == label);
}
