using ExecutionTrap.Classification.Evaluation;
using ExecutionTrap.Classification.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace ExecutionTrap.Classification.Training;

internal enum MeetingTrainerKind
{
    LbfgsMaximumEntropy,
    SdcaMaximumEntropy,
}

/// <summary>The knobs of one training run; <see cref="Default"/> is what the shipped model uses.</summary>
internal sealed record MeetingTrainerSettings(
    MeetingTrainerKind Kind = MeetingTrainerKind.LbfgsMaximumEntropy,
    float L2 = 0.001f,
    float L1 = 0f,
    bool AugmentTitleOnly = true,
    int CalibrationFolds = 5)
{
    public static MeetingTrainerSettings Default { get; } = new();
}

/// <summary>
/// Trains the meeting classifier deterministically (fixed seed, one thread) and cross-validates it.
/// Probabilities are calibrated by temperature scaling: the temperature that gives the out-of-fold
/// predictions of the training data the lowest log-loss. No other data is looked at.
/// </summary>
internal static class MeetingModelTrainer
{
    public const int Seed = 7;

    private const string LabelColumn = "Label";
    private const string FeaturesColumn = TrainedMeetingModel.FeaturesColumn;

    public static TrainedMeetingModel Train(IEnumerable<LabelledExample> examples, MeetingTrainerSettings? settings = null)
    {
        settings ??= MeetingTrainerSettings.Default;
        var list = examples.ToList();
        CheckTrainable(list);
        var temperature = settings.CalibrationFolds >= 2 ? FitTemperature(list, settings) : 1.0;
        return Fit(list, settings, temperature);
    }

    /// <summary>The temperature that best calibrates the out-of-fold predictions on the examples.</summary>
    public static double FitTemperature(IReadOnlyList<LabelledExample> examples, MeetingTrainerSettings settings)
    {
        var (logits, truth) = OutOfFoldLogits(examples, settings);
        return logits.Count == 0 ? 1.0 : Calibration.FitTemperature(logits, truth);
    }

    /// <summary>Every example's raw scores from a model trained on the other folds, and its true class.</summary>
    public static (List<double[]> Logits, List<int> Truth) OutOfFoldLogits(IReadOnlyList<LabelledExample> examples, MeetingTrainerSettings settings)
    {
        var list = examples.ToList();
        var foldOf = AssignFolds(list, settings.CalibrationFolds);
        var logits = new List<double[]>();
        var truth = new List<int>();
        for (var fold = 0; fold < settings.CalibrationFolds; fold++)
        {
            var train = list.Where((_, i) => foldOf[i] != fold).ToList();
            if (train.Select(e => e.Label).Distinct(StringComparer.Ordinal).Count() < 2)
            {
                continue;
            }

            var model = Fit(train, settings, 1.0);
            foreach (var example in list.Where((_, i) => foldOf[i] == fold))
            {
                var classIndex = model.Classes.ToList().IndexOf(example.Label);
                if (classIndex < 0)
                {
                    continue;
                }

                foreach (var input in InputsOf(example, settings.AugmentTitleOnly))
                {
                    // Vague titles are decided by a rule, not the model: they say nothing about its calibration.
                    if (TitleHeuristics.SaysNothingAboutWorkNormalized(input.Title))
                    {
                        continue;
                    }

                    var z = new double[model.Classes.Count];
                    model.Logits(input, z);
                    logits.Add(z);
                    truth.Add(classIndex);
                }
            }
        }

        return (logits, truth);
    }

    /// <summary>
    /// Stratified k-fold cross-validation of the whole decision (model and rules): every example is
    /// predicted once by a model that did not see it, as given and again with its signals hidden.
    /// </summary>
    public static CrossValidationReport CrossValidate(
        IEnumerable<LabelledExample> examples, int folds = 5, MeetingTrainerSettings? settings = null)
    {
        var list = examples.ToList();
        CheckTrainable(list);
        var foldOf = AssignFolds(list, folds);

        var asGiven = new List<ScoredExample>();
        var titleOnly = new List<ScoredExample>();
        var foldMacroF1 = new List<double>();
        for (var fold = 0; fold < folds; fold++)
        {
            var train = list.Where((_, i) => foldOf[i] != fold).ToList();
            var test = list.Where((_, i) => foldOf[i] == fold).ToList();
            using var classifier = MeetingClassifier.FromModel(Train(train, settings));

            var scored = ModelEvaluator.Score(classifier, test);
            foldMacroF1.Add(ModelEvaluator.Evaluate(scored).MacroF1);
            asGiven.AddRange(scored);
            titleOnly.AddRange(ModelEvaluator.Score(classifier, test.Select(e => e.WithoutSignals())));
        }

        return new CrossValidationReport(
            folds,
            ModelEvaluator.Evaluate(asGiven),
            ModelEvaluator.Evaluate(titleOnly),
            foldMacroF1);
    }

    private static int[] AssignFolds(List<LabelledExample> examples, int folds)
    {
        if (folds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(folds), folds, "cross-validation needs at least 2 folds");
        }

        var random = new Random(Seed);
        var foldOf = new int[examples.Count];
        foreach (var group in Enumerable.Range(0, examples.Count).GroupBy(i => examples[i].Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = group.ToArray();
            random.Shuffle(shuffled);
            for (var i = 0; i < shuffled.Length; i++)
            {
                foldOf[shuffled[i]] = i % folds;
            }
        }

        return foldOf;
    }

    private static void CheckTrainable(List<LabelledExample> examples)
    {
        var labels = examples.Select(e => e.Label).Distinct(StringComparer.Ordinal).ToList();
        if (labels.Count < 2)
        {
            throw new ArgumentException("training needs examples of at least two labels", nameof(examples));
        }

        var unknown = labels.Where(l => !ModelClasses.IsKnown(l)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown labels in training data: {string.Join(", ", unknown)}", nameof(examples));
        }
    }

    private static TrainedMeetingModel Fit(List<LabelledExample> examples, MeetingTrainerSettings settings, double temperature)
    {
        var features = new FeatureBag();
        var block = new FeatureBag();
        var signals = new float[SignalVector.Count];
        var extracted = new List<(string Label, uint[] Hashes, float[] Values, float[] Signals)>();
        foreach (var example in examples)
        {
            foreach (var input in InputsOf(example, settings.AugmentTitleOnly))
            {
                FeatureExtractor.Extract(input.Title, input.Signals, features, block);
                SignalVector.Encode(input.Signals, input.NamesOnly, signals);
                var hashes = new uint[features.Count];
                var values = new float[features.Count];
                for (var i = 0; i < features.Count; i++)
                {
                    hashes[i] = features.KeyAt(i);
                    values[i] = features.ValueAt(i);
                }

                extracted.Add((example.Label, hashes, values, (float[])signals.Clone()));
            }
        }

        uint[] vocabulary = [.. extracted.SelectMany(e => e.Hashes).Distinct().Order()];
        var rowOf = new Dictionary<uint, int>(vocabulary.Length);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            rowOf[vocabulary[i]] = SignalVector.Count + i;
        }

        var dimension = SignalVector.Count + vocabulary.Length;
        var rows = extracted.Select(e => new TrainingRow { Label = e.Label, Features = Sparse(e, rowOf, dimension) }).ToList();

        var context = new MLContext(seed: Seed);
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var data = context.Data.LoadFromEnumerable(rows, schema);
        var keyed = context.Transforms.Conversion
            .MapValueToKey(LabelColumn, LabelColumn, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(data)
            .Transform(data);
        var predictor = CreateTrainer(context, settings).Fit(keyed);

        var bytes = TrainedMeetingModel.Write(context, predictor, data.Schema, vocabulary, temperature);
        return TrainedMeetingModel.FromBytes(bytes, "the trained model");
    }

    private static VBuffer<float> Sparse((string Label, uint[] Hashes, float[] Values, float[] Signals) row, Dictionary<uint, int> rowOf, int dimension)
    {
        var entries = new List<(int Index, float Value)>(row.Hashes.Length + SignalVector.Count);
        for (var s = 0; s < row.Signals.Length; s++)
        {
            if (row.Signals[s] != 0)
            {
                entries.Add((s, row.Signals[s]));
            }
        }

        for (var i = 0; i < row.Hashes.Length; i++)
        {
            entries.Add((rowOf[row.Hashes[i]], row.Values[i]));
        }

        entries.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new VBuffer<float>(dimension, entries.Count, [.. entries.Select(e => e.Value)], [.. entries.Select(e => e.Index)]);
    }

    // Every example with signals is also shown without them, so a title-only row at prediction
    // time is something the model has seen, not an odd corner where all signals read zero.
    private static IEnumerable<ModelInput> InputsOf(LabelledExample example, bool augment)
    {
        var input = ModelInput.From(example.Title, example.Signals);
        yield return input;
        if (augment && !example.Signals.IsUnknown)
        {
            yield return input with { Signals = MeetingSignals.Unknown };
        }
    }

    private static ITrainerEstimator<MulticlassPredictionTransformer<MaximumEntropyModelParameters>, MaximumEntropyModelParameters> CreateTrainer(
        MLContext context, MeetingTrainerSettings settings) =>
        settings.Kind switch
        {
            MeetingTrainerKind.SdcaMaximumEntropy => context.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                new SdcaMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = LabelColumn,
                    FeatureColumnName = FeaturesColumn,
                    NumberOfThreads = 1,
                    L2Regularization = settings.L2,
                    L1Regularization = settings.L1,
                    Shuffle = false,
                }),
            _ => context.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = LabelColumn,
                    FeatureColumnName = FeaturesColumn,
                    NumberOfThreads = 1,
                    L2Regularization = settings.L2,
                    L1Regularization = settings.L1,
                }),
        };

    private sealed class TrainingRow
    {
        public string Label { get; set; } = "";

        public VBuffer<float> Features { get; set; }
    }
}

/// <summary>Out-of-fold results: as the rows were given, and with every signal hidden.</summary>
internal sealed record CrossValidationReport(
    int Folds,
    EvaluationReport AsGiven,
    EvaluationReport TitleOnly,
    IReadOnlyList<double> FoldMacroF1)
{
    public double MacroF1 => AsGiven.MacroF1;
}
