using ExecutionTrap.Classification.Evaluation;
using ExecutionTrap.Classification.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;

namespace ExecutionTrap.Classification.Training;

internal enum MeetingTrainerKind
{
    LbfgsMaximumEntropy,
    SdcaMaximumEntropy,
}

/// <summary>The knobs of one training run; <see cref="Default"/> is what the shipped model uses.</summary>
internal sealed record MeetingTrainerSettings(
    MeetingTrainerKind Kind = MeetingTrainerKind.LbfgsMaximumEntropy,
    int CharNgramLength = 4,
    float L2 = 0.001f,
    float L1 = 0f,
    bool AugmentTitleOnly = true)
{
    public static MeetingTrainerSettings Default { get; } = new();
}

/// <summary>Trains the meeting classifier deterministically (fixed seed, one thread) and cross-validates it.</summary>
internal static class MeetingModelTrainer
{
    public const int Seed = 7;

    private const string LabelColumn = "Label";
    private const string FeaturesColumn = "Features";
    private const string TitleFeaturesColumn = "TitleFeatures";

    public static TrainedMeetingModel Train(IEnumerable<LabelledExample> examples, MeetingTrainerSettings? settings = null)
    {
        settings ??= MeetingTrainerSettings.Default;
        var list = examples.ToList();
        CheckTrainable(list);

        var context = new MLContext(seed: Seed);
        var rows = context.Data.LoadFromEnumerable(ToRows(list, settings.AugmentTitleOnly));
        var keyed = context.Transforms.Conversion
            .MapValueToKey(LabelColumn, LabelColumn, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(rows)
            .Transform(rows);

        var pipeline = context.Transforms.Text
            .FeaturizeText(TitleFeaturesColumn, TextOptions(settings), nameof(ModelInput.Title))
            .Append(context.Transforms.Concatenate(FeaturesColumn, TitleFeaturesColumn, nameof(ModelInput.Signals)))
            .Append(CreateTrainer(context, settings));
        var transformer = pipeline.Fit(keyed);

        var inputSchema = context.Data.LoadFromEnumerable(Array.Empty<ModelInput>()).Schema;
        return new TrainedMeetingModel(context, transformer, inputSchema);
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

    // Every example with signals is also shown without them, so a title-only row at prediction
    // time is something the model has seen, not an odd corner where all signals read zero.
    private static IEnumerable<TrainingRow> ToRows(List<LabelledExample> examples, bool augment)
    {
        foreach (var example in examples)
        {
            var namesOnly = TitleHeuristics.IsNamesOnly(example.Title);
            var title = TitleNormalizer.Normalize(example.Title);
            yield return new TrainingRow(example.Label, title, SignalVector.Encode(example.Signals, namesOnly));
            if (augment && !example.Signals.IsUnknown)
            {
                yield return new TrainingRow(example.Label, title, SignalVector.Encode(MeetingSignals.Unknown, namesOnly));
            }
        }
    }

    private static TextFeaturizingEstimator.Options TextOptions(MeetingTrainerSettings settings) => new()
    {
        CaseMode = TextNormalizingEstimator.CaseMode.None,
        KeepDiacritics = true,
        KeepPunctuations = true,
        KeepNumbers = true,
        StopWordsRemoverOptions = null,
        WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
        CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = settings.CharNgramLength, UseAllLengths = true },
        Norm = TextFeaturizingEstimator.NormFunction.L2,
    };

    private static IEstimator<ITransformer> CreateTrainer(MLContext context, MeetingTrainerSettings settings) =>
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

    private sealed record TrainingRow(string Label, string Title, [property: VectorType(ModelInput.SignalCount)] float[] Signals);
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
