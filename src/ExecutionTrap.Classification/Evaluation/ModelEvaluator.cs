using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Classification.Evaluation;

/// <summary>Precision, recall, F1, accuracy, confusion and calibration of a classifier on labelled examples.</summary>
internal static class ModelEvaluator
{
    public const int CalibrationBins = 10;

    public static EvaluationReport Evaluate(MeetingClassifier classifier, IEnumerable<LabelledExample> examples) =>
        Evaluate(Score(classifier, examples));

    public static EvaluationReport Evaluate(TrainedMeetingModel model, IEnumerable<LabelledExample> examples)
    {
        using var classifier = MeetingClassifier.FromModel(model);
        return Evaluate(classifier, examples);
    }

    public static IReadOnlyList<ScoredExample> Score(MeetingClassifier classifier, IEnumerable<LabelledExample> examples)
    {
        var list = examples.ToList();
        var labels = classifier.ClassifyTitles([.. list.Select(e => (e.Title, e.Signals))]);
        return [.. list.Select((e, i) => new ScoredExample(e.Label, SlugOf(labels[i]), labels[i].Confidence))];
    }

    /// <summary>
    /// Macro-F1 averages the F1 of every class that occurs among the expected labels or the
    /// predictions; a class absent from both says nothing and is left out.
    /// </summary>
    public static EvaluationReport Evaluate(IEnumerable<ScoredExample> scored)
    {
        var list = scored.ToList();
        var classes = ModelClasses.All;
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var confusion = classes.Select(_ => new int[classes.Count]).ToArray();
        foreach (var example in list)
        {
            confusion[IndexOf(index, example.Expected)][IndexOf(index, example.Predicted)]++;
        }

        var perClass = new List<ClassMetrics>();
        for (var c = 0; c < classes.Count; c++)
        {
            var truePositives = confusion[c][c];
            var support = confusion[c].Sum();
            var predicted = confusion.Sum(row => row[c]);
            var precision = predicted == 0 ? 0 : (double)truePositives / predicted;
            var recall = support == 0 ? 0 : (double)truePositives / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassMetrics(classes[c], support, precision, recall, f1));
        }

        var present = perClass.Where((m, c) => m.Support > 0 || confusion.Sum(row => row[c]) > 0).ToList();
        var correct = Enumerable.Range(0, classes.Count).Sum(c => confusion[c][c]);
        var (ece, bins) = Calibrate(list);
        return new EvaluationReport(
            classes,
            list.Count,
            list.Count == 0 ? 0 : (double)correct / list.Count,
            present.Count == 0 ? 0 : present.Average(m => m.F1),
            perClass,
            [.. confusion.Select(row => (IReadOnlyList<int>)row)],
            ece,
            bins)
        {
            SureButWrong = list.Count(e => e.Confidence >= EvaluationReport.SureConfidence && e.Expected != e.Predicted),
        };
    }

    private static string SlugOf(MeetingLabel label) => label.Category?.ToSlug() ?? Labels.Excluded;

    private static int IndexOf(Dictionary<string, int> index, string label) =>
        index.TryGetValue(label, out var i) ? i : throw new ArgumentException($"unknown label '{label}'");

    // Expected calibration error: the count-weighted gap between confidence and accuracy
    // over equal-width confidence bins; confidence 1 falls into the last bin.
    public static (double Ece, IReadOnlyList<CalibrationBin> Bins) Calibrate(List<ScoredExample> examples)
    {
        var bins = new List<CalibrationBin>();
        var ece = 0.0;
        for (var b = 0; b < CalibrationBins; b++)
        {
            var lower = (double)b / CalibrationBins;
            var upper = (double)(b + 1) / CalibrationBins;
            var inBin = examples
                .Where(e => BinOf(e.Confidence) == b)
                .ToList();
            var meanConfidence = inBin.Count == 0 ? 0 : inBin.Average(e => e.Confidence);
            var accuracy = inBin.Count == 0 ? 0 : inBin.Count(e => e.Expected == e.Predicted) / (double)inBin.Count;
            bins.Add(new CalibrationBin(lower, upper, inBin.Count, meanConfidence, accuracy));
            if (examples.Count > 0)
            {
                ece += inBin.Count / (double)examples.Count * Math.Abs(accuracy - meanConfidence);
            }
        }

        return (ece, bins);
    }

    private static int BinOf(double confidence) =>
        Math.Clamp((int)Math.Floor(confidence * CalibrationBins), 0, CalibrationBins - 1);
}
