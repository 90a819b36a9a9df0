using ExecutionTrap.Classification.Evaluation;

namespace ExecutionTrap.UnitTests.Classification.Evaluation;

public sealed class ModelEvaluatorTests
{
    // Hand-computed: execution P=2/3 R=2/3, strategy P=1/2 R=1/2, excluded P=1 R=1;
    // the other three classes never occur and are left out of macro-F1.
    private static readonly ScoredExample[] Tiny =
    [
        new("execution", "execution", 0.95),
        new("execution", "execution", 0.85),
        new("execution", "strategy", 0.55),
        new("strategy", "strategy", 0.65),
        new("strategy", "execution", 0.45),
        new("excluded", "excluded", 0.99),
    ];

    [Fact]
    public void Evaluate_ComputesPerClassMetrics_OnATinyExample()
    {
        var report = ModelEvaluator.Evaluate(Tiny);

        Assert.Equal(2.0 / 3, report.For("execution").Precision, 9);
        Assert.Equal(2.0 / 3, report.For("execution").Recall, 9);
        Assert.Equal(0.5, report.For("strategy").F1, 9);
        Assert.Equal(1.0, report.For("excluded").F1, 9);
        Assert.Equal(0, report.For("firefighting").Support);
        Assert.Equal(4.0 / 6, report.Accuracy, 9);
        Assert.Equal(((2.0 / 3) + 0.5 + 1) / 3, report.MacroF1, 9);
    }

    [Fact]
    public void Evaluate_FillsTheConfusionMatrix_ExpectedByPredicted()
    {
        var report = ModelEvaluator.Evaluate(Tiny);

        var execution = report.Classes.ToList().IndexOf("execution");
        var strategy = report.Classes.ToList().IndexOf("strategy");
        Assert.Equal(2, report.Confusion[execution][execution]);
        Assert.Equal(1, report.Confusion[execution][strategy]);
        Assert.Equal(1, report.Confusion[strategy][execution]);
        Assert.Equal(6, report.Confusion.Sum(row => row.Sum()));
        Assert.Equal(6, report.Classes.Count);
    }

    [Fact]
    public void Evaluate_ComputesExpectedCalibrationError_OverTenBins()
    {
        var report = ModelEvaluator.Evaluate(Tiny);

        // Bins: 0.4 (0.45 wrong), 0.5 (0.55 wrong), 0.6 (0.65 right), 0.8 (0.85 right), 0.9 (0.95, 0.99 right).
        var expected = ((1 * 0.45) + (1 * 0.55) + (1 * 0.35) + (1 * 0.15) + (2 * (1 - 0.97))) / 6;
        Assert.Equal(10, report.Calibration.Count);
        Assert.Equal(expected, report.ExpectedCalibrationError, 9);
        Assert.Equal(2, report.Calibration[9].Count);
    }

    [Fact]
    public void Evaluate_PutsConfidenceOneInTheLastBin()
    {
        var report = ModelEvaluator.Evaluate([new ScoredExample("strategy", "strategy", 1.0)]);

        Assert.Equal(1, report.Calibration[9].Count);
        Assert.Equal(0, report.ExpectedCalibrationError, 9);
    }

    [Fact]
    public void Evaluate_Throws_WhenALabelIsUnknown()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelEvaluator.Evaluate([new ScoredExample("strat", "strategy", 0.9)]));

        Assert.Contains("'strat'", error.Message, StringComparison.Ordinal);
    }
}
