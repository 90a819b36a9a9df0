using ExecutionTrap.Classification.Features;
using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using Microsoft.ML;

namespace ExecutionTrap.Classification;

/// <summary>
/// Metadata exclusions first, then the "title says nothing" rule, then the model. Safe to share
/// between threads: each thread gets its own prediction engine.
/// </summary>
internal sealed class MeetingClassifier : IMeetingClassifier, IDisposable
{
    public const string MetadataDecider = "metadata";
    public const string VagueTitleDecider = "rule:vague-title";

    // A title that says nothing is execution by default, but only just.
    private const double VagueTitleConfidence = 0.4;
    private const double RecurringPairConfidence = 0.75;
    private const int MaxEvidenceWords = 3;
    // Drops are measured in log-odds, so a word still counts when the probability is saturated near 1.
    private const double MinEvidenceDrop = 0.1;
    private const double MinSignalDrop = 0.3;

    private readonly TrainedMeetingModel _model;
    private readonly IReadOnlyList<string> _classes;
    private readonly ThreadLocal<PredictionEngine<ModelInput, ModelOutput>> _engines;
    private int _disposed;

    internal MeetingClassifier(TrainedMeetingModel model, string modelVersion, string sourceName, double uncertainBelow = 0.5)
    {
        _model = model;
        _classes = model.ClassNames(sourceName);
        ModelVersion = modelVersion;
        UncertainBelow = uncertainBelow;
        _engines = new ThreadLocal<PredictionEngine<ModelInput, ModelOutput>>(
            () => model.Context.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model.Transformer, model.InputSchema),
            trackAllValues: true);
    }

    public string ModelVersion { get; }

    /// <summary>Decisions below this confidence are shown as uncertain.</summary>
    public double UncertainBelow { get; }

    public static MeetingClassifier FromModel(TrainedMeetingModel model, double uncertainBelow = 0.5) =>
        new(model, TrainedMeetingModel.VersionOf(model.ToBytes()), "the trained model", uncertainBelow);

    public bool IsUncertain(MeetingLabel label) => label.IsScored && label.Confidence < UncertainBelow;

    public MeetingLabel Classify(Meeting meeting, bool explain = false) =>
        MeetingExclusions.FromMetadata(meeting) is { } reason
            ? MeetingLabel.ExcludedBy(reason, MetadataDecider)
            : ClassifyTitle(meeting.Title, MeetingSignals.From(meeting), explain);

    public IReadOnlyList<MeetingLabel> ClassifyMany(IReadOnlyList<Meeting> meetings, bool explain = false)
    {
        var labels = new MeetingLabel[meetings.Count];
        var pending = new List<int>();
        for (var i = 0; i < meetings.Count; i++)
        {
            if (MeetingExclusions.FromMetadata(meetings[i]) is { } reason)
            {
                labels[i] = MeetingLabel.ExcludedBy(reason, MetadataDecider);
            }
            else
            {
                pending.Add(i);
            }
        }

        var decided = ClassifyTitles([.. pending.Select(i => (meetings[i].Title, MeetingSignals.From(meetings[i])))], explain);
        for (var p = 0; p < pending.Count; p++)
        {
            labels[pending[p]] = decided[p];
        }

        return labels;
    }

    public MeetingLabel ClassifyTitle(string title, MeetingSignals signals, bool explain = false)
    {
        var normalized = TitleNormalizer.Normalize(title);
        if (DecideVagueTitle(normalized, signals) is { } ruled)
        {
            return ruled;
        }

        var input = ModelInput.FromNormalized(normalized, TitleHeuristics.IsNamesOnly(title), signals);
        var scores = Engine.Predict(input).Score;
        return ToLabel(scores, explain ? Explain(input, signals, scores) : []);
    }

    /// <summary>The batch path: every title the rules do not settle goes through the model in one pass.</summary>
    public IReadOnlyList<MeetingLabel> ClassifyTitles(IReadOnlyList<(string Title, MeetingSignals Signals)> items, bool explain = false)
    {
        var labels = new MeetingLabel[items.Count];
        var pending = new List<int>(items.Count);
        var inputs = new List<ModelInput>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (title, signals) = items[i];
            var normalized = TitleNormalizer.Normalize(title);
            if (DecideVagueTitle(normalized, signals) is { } ruled)
            {
                labels[i] = ruled;
            }
            else
            {
                pending.Add(i);
                inputs.Add(ModelInput.FromNormalized(normalized, TitleHeuristics.IsNamesOnly(title), signals));
            }
        }

        if (pending.Count == 0)
        {
            return labels;
        }

        var view = _model.Transformer.Transform(_model.Context.Data.LoadFromEnumerable(inputs, _model.InputSchema));
        var p = 0;
        foreach (var output in _model.Context.Data.CreateEnumerable<ModelOutput>(view, reuseRowObject: true))
        {
            var signals = items[pending[p]].Signals;
            labels[pending[p]] = ToLabel(output.Score, explain ? Explain(inputs[p], signals, output.Score) : []);
            p++;
        }

        return labels;
    }

    // The container may dispose the same instance twice: it is registered as itself and as the port.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var engine in _engines.Values)
        {
            engine.Dispose();
        }

        _engines.Dispose();
    }

    private PredictionEngine<ModelInput, ModelOutput> Engine => _engines.Value!;

    private static MeetingLabel? DecideVagueTitle(string normalizedTitle, MeetingSignals signals)
    {
        if (!TitleHeuristics.SaysNothingAboutWorkNormalized(normalizedTitle))
        {
            return null;
        }

        return signals.IsRecurringPair
            ? new MeetingLabel
            {
                Category = Category.PeopleDevelopment,
                Confidence = RecurringPairConfidence,
                Evidence = ["2 attendees, recurring"],
                DecidedBy = VagueTitleDecider,
            }
            : new MeetingLabel
            {
                Category = Category.Execution,
                Confidence = VagueTitleConfidence,
                Evidence = ["title says nothing"],
                DecidedBy = VagueTitleDecider,
            };
    }

    private MeetingLabel ToLabel(float[] scores, IReadOnlyList<string> evidence)
    {
        var best = ArgMax(scores);
        var slug = _classes[best];
        var confidence = Math.Round(scores[best], 4);
        if (Labels.TryParseCategory(slug, out var category))
        {
            return new MeetingLabel { Category = category, Confidence = confidence, Evidence = evidence, DecidedBy = ModelVersion };
        }

        return MeetingLabel.ExcludedBy(ExclusionReason.NotAMeeting, ModelVersion, evidence) with { Confidence = confidence };
    }

    // Leave-one-out: a word matters as much as the predicted class loses when the title is
    // read without it. Signals are judged the same way, by hiding them.
    private List<string> Explain(ModelInput input, MeetingSignals signals, float[] scores)
    {
        var best = ArgMax(scores);
        var baseline = LogOdds(scores[best]);
        var namesOnly = input.Signals[SignalVector.NamesOnlyIndex] > 0;
        var words = input.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

        var drops = new List<(string Evidence, double Drop)>();
        foreach (var word in words)
        {
            var without = string.Join(' ', input.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w != word));
            var score = Engine.Predict(ModelInput.FromNormalized(without, namesOnly, signals)).Score[best];
            drops.Add(($"'{Display(word)}'", baseline - LogOdds(score)));
        }

        var evidence = drops
            .Where(d => d.Drop >= MinEvidenceDrop)
            .OrderByDescending(d => d.Drop)
            .Take(MaxEvidenceWords)
            .ToList();
        if (evidence.Count == 0 && drops.Count > 0)
        {
            evidence.Add(drops.MaxBy(d => d.Drop));
        }

        if (namesOnly)
        {
            var score = Engine.Predict(ModelInput.FromNormalized(input.Title, false, signals)).Score[best];
            if (baseline - LogOdds(score) >= MinSignalDrop)
            {
                evidence.Add(("names-only title", baseline - LogOdds(score)));
            }
        }

        if (!signals.IsUnknown)
        {
            var score = Engine.Predict(ModelInput.FromNormalized(input.Title, namesOnly, MeetingSignals.Unknown)).Score[best];
            if (baseline - LogOdds(score) >= MinSignalDrop)
            {
                evidence.Add((string.Join(", ", signals.Describe()), baseline - LogOdds(score)));
            }
        }

        return [.. evidence.OrderByDescending(e => e.Drop).Select(e => e.Evidence)];
    }

    private static string Display(string word) => word switch
    {
        TitleNormalizer.OneOnOneToken => "1:1",
        TitleNormalizer.NumberToken => "a number",
        TitleNormalizer.TicketToken => "a ticket id",
        _ => word,
    };

    private static double LogOdds(float probability)
    {
        var p = Math.Clamp(probability, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    private static int ArgMax(float[] scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
