using ExecutionTrap.Classification.Features;
using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Classification;

/// <summary>
/// Metadata exclusions first, then the "title says nothing" rule, then the model. Safe to share
/// between threads. Confidences are the model's calibrated probabilities.
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
    // A calendar repeats its titles week after week; past this many distinct ones the cache starts again.
    private const int MaxCachedTitles = 200_000;

    private readonly TrainedMeetingModel _model;
    private readonly IReadOnlyList<string> _classes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Title, MeetingSignals Signals), MeetingLabel> _seen = new();

    internal MeetingClassifier(TrainedMeetingModel model, string modelVersion, double uncertainBelow = 0.5)
    {
        _model = model;
        _classes = model.Classes;
        ModelVersion = modelVersion;
        UncertainBelow = uncertainBelow;
    }

    public string ModelVersion { get; }

    /// <summary>Decisions below this confidence are shown as uncertain.</summary>
    public double UncertainBelow { get; }

    internal TrainedMeetingModel Model => _model;

    public static MeetingClassifier FromModel(TrainedMeetingModel model, double uncertainBelow = 0.5) =>
        new(model, TrainedMeetingModel.VersionOf(model.ToBytes()), uncertainBelow);

    public bool IsUncertain(MeetingLabel label) => label.IsScored && label.Confidence < UncertainBelow;

    public MeetingLabel Classify(Meeting meeting, bool explain = false) =>
        MeetingExclusions.FromMetadata(meeting) is { } reason
            ? MeetingLabel.ExcludedBy(reason, MetadataDecider)
            : ClassifyTitle(meeting.Title, MeetingSignals.From(meeting), explain);

    public IReadOnlyList<MeetingLabel> ClassifyMany(IReadOnlyList<Meeting> meetings, bool explain = false) =>
        ClassifyMany(meetings, zone: null, explain);

    /// <summary>As <see cref="ClassifyMany(IReadOnlyList{Meeting}, bool)"/>, with the leader's zone so the local start hour counts.</summary>
    public IReadOnlyList<MeetingLabel> ClassifyMany(IReadOnlyList<Meeting> meetings, DateTimeZone? zone, bool explain = false)
    {
        var labels = new MeetingLabel[meetings.Count];
        for (var i = 0; i < meetings.Count; i++)
        {
            labels[i] = MeetingExclusions.FromMetadata(meetings[i]) is { } reason
                ? MeetingLabel.ExcludedBy(reason, MetadataDecider)
                : ClassifyTitle(meetings[i].Title, MeetingSignals.From(meetings[i], zone), explain);
        }

        return labels;
    }

    /// <summary>A title seen before with the same signals is answered from memory; explanations are always worked out.</summary>
    public MeetingLabel ClassifyTitle(string title, MeetingSignals signals, bool explain = false)
    {
        if (explain)
        {
            return ClassifyTitleAfresh(title, signals, explain: true);
        }

        if (_seen.TryGetValue((title, signals), out var known))
        {
            return known;
        }

        if (_seen.Count >= MaxCachedTitles)
        {
            _seen.Clear();
        }

        var label = ClassifyTitleAfresh(title, signals, explain: false);
        _seen.TryAdd((title, signals), label);
        return label;
    }

    /// <summary>As <see cref="ClassifyTitle"/>, never from memory: what a title costs the first time it is seen.</summary>
    public MeetingLabel ClassifyTitleAfresh(string title, MeetingSignals signals, bool explain = false)
    {
        var normalized = TitleNormalizer.Normalize(title);
        if (DecideVagueTitle(normalized, signals) is { } ruled)
        {
            return ruled;
        }

        var input = ModelInput.FromNormalized(normalized, TitleHeuristics.IsNamesOnly(title), signals);
        Span<double> logits = stackalloc double[_classes.Count];
        Span<double> probabilities = stackalloc double[_classes.Count];
        _model.Logits(input, logits);
        TrainedMeetingModel.Softmax(logits, _model.Temperature, probabilities);
        return ToLabel(probabilities, explain ? Explain(input, probabilities) : []);
    }

    /// <summary>The batch path: one pass, no model pipeline, nothing allocated per title but its label.</summary>
    public IReadOnlyList<MeetingLabel> ClassifyTitles(IReadOnlyList<(string Title, MeetingSignals Signals)> items, bool explain = false)
    {
        var labels = new MeetingLabel[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            labels[i] = ClassifyTitle(items[i].Title, items[i].Signals, explain);
        }

        return labels;
    }

    // Nothing to release: the model is managed memory. Kept so callers can scope a classifier.
    public void Dispose()
    {
    }

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

    private MeetingLabel ToLabel(ReadOnlySpan<double> probabilities, IReadOnlyList<string> evidence)
    {
        var best = ArgMax(probabilities);
        var slug = _classes[best];
        var confidence = Math.Round(probabilities[best], 4);
        if (Labels.TryParseCategory(slug, out var category))
        {
            return new MeetingLabel { Category = category, Confidence = confidence, Evidence = evidence, DecidedBy = ModelVersion };
        }

        return MeetingLabel.ExcludedBy(ExclusionReason.NotAMeeting, ModelVersion, evidence) with { Confidence = confidence };
    }

    // Leave-one-out: a word matters as much as the predicted class loses when the title is
    // read without it. Signals, categories and the description are judged the same way, by hiding them.
    private List<string> Explain(ModelInput input, ReadOnlySpan<double> probabilities)
    {
        var best = ArgMax(probabilities);
        var baseline = LogOdds(probabilities[best]);
        var words = input.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var drops = new List<(string Evidence, double Drop)>();
        foreach (var word in words.Distinct(StringComparer.Ordinal))
        {
            var without = string.Join(' ', words.Where(w => w != word));
            drops.Add(($"'{Display(word)}'", baseline - LogOdds(Probability(input with { Title = without }, best))));
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

        var signals = input.Signals;
        AddIfItMatters(evidence, "names-only title", baseline, input.NamesOnly ? input with { NamesOnly = false } : null, best);
        if (signals.Categories is { Count: > 0 } categories)
        {
            foreach (var category in categories.Distinct(StringComparer.Ordinal))
            {
                var others = categories.Where(c => c != category).ToList();
                AddIfItMatters(evidence, $"category '{category}'", baseline, input with { Signals = signals with { Categories = others } }, best);
            }
        }

        if (!string.IsNullOrWhiteSpace(signals.Description))
        {
            AddIfItMatters(evidence, "the description", baseline, input with { Signals = signals with { Description = null } }, best);
        }

        var numeric = signals.WithoutText();
        if (!numeric.IsUnknown)
        {
            var hidden = MeetingSignals.Unknown with { Categories = signals.Categories, Description = signals.Description };
            AddIfItMatters(evidence, string.Join(", ", numeric.Describe()), baseline, input with { Signals = hidden }, best);
        }

        return [.. evidence.Where(e => e.Evidence.Length > 0).OrderByDescending(e => e.Drop).Select(e => e.Evidence)];
    }

    private void AddIfItMatters(List<(string Evidence, double Drop)> evidence, string name, double baseline, ModelInput? without, int best)
    {
        if (without is null)
        {
            return;
        }

        var drop = baseline - LogOdds(Probability(without, best));
        if (drop >= MinSignalDrop)
        {
            evidence.Add((name, drop));
        }
    }

    private double Probability(ModelInput input, int classIndex)
    {
        Span<double> logits = stackalloc double[_classes.Count];
        Span<double> probabilities = stackalloc double[_classes.Count];
        _model.Logits(input, logits);
        TrainedMeetingModel.Softmax(logits, _model.Temperature, probabilities);
        return probabilities[classIndex];
    }

    private static string Display(string word) => word switch
    {
        TitleNormalizer.OneOnOneToken => "1:1",
        TitleNormalizer.NumberToken => "a number",
        TitleNormalizer.TicketToken => "a ticket id",
        _ => word,
    };

    private static double LogOdds(double probability)
    {
        var p = Math.Clamp(probability, 1e-6, 1 - 1e-6);
        return Math.Log(p / (1 - p));
    }

    private static int ArgMax(ReadOnlySpan<double> scores)
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
