using ExecutionTrap.Classification;
using ExecutionTrap.Classification.Features;
using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.UnitTests.Classification.Training;

public sealed class MeetingModelTrainerTests(BuiltInClassifierFixture fixture) : IClassFixture<BuiltInClassifierFixture>
{
    private static readonly LabelledExample[] Small =
    [
        new("execution", "Weekly status Atlas"), new("execution", "Sprint planning"), new("execution", "Standup"),
        new("execution", "Release readiness"), new("firefighting", "Sev1 bridge"), new("firefighting", "Outage war room"),
        new("firefighting", "P1 incident"), new("firefighting", "Rollback call"), new("strategy", "Q3 strategy offsite"),
        new("strategy", "Annual planning"), new("strategy", "Roadmap 2027"), new("strategy", "Org design"),
        new("excluded", "Lunch"), new("excluded", "Gym"), new("excluded", "Focus time"), new("excluded", "Commute"),
        new("people-development", "Ana / Ben", new MeetingSignals(2, 30, true)), new("people-development", "Coaching"),
        new("people-development", "Interview debrief"), new("people-development", "Mentoring"),
        new("escalation", "Escalation: Acme"), new("escalation", "Exception approval"), new("escalation", "Need your decision"),
        new("escalation", "Customer escalation"),
    ];

    private static readonly string[] Probes =
        ["Sev1 bridge", "Ana / Ben", "Quarterly planning", "Lunch with Ben", "Escalation call", "Atlas standup", "🔥 outage"];

    [Fact]
    public void Train_GivesIdenticalPredictions_WhenRunTwiceOnTheSameData()
    {
        using var first = MeetingClassifier.FromModel(MeetingModelTrainer.Train(Small));
        using var second = MeetingClassifier.FromModel(MeetingModelTrainer.Train(Small));

        var a = Probes.Select(t => first.ClassifyTitle(t, MeetingSignals.Unknown)).ToList();
        var b = Probes.Select(t => second.ClassifyTitle(t, MeetingSignals.Unknown)).ToList();

        Assert.Equal(a.Select(l => (l.Category, l.Excluded, l.Confidence)), b.Select(l => (l.Category, l.Excluded, l.Confidence)));
    }

    [Fact]
    public void Train_Throws_WhenOnlyOneLabelIsGiven()
    {
        var error = Assert.Throws<ArgumentException>(() => MeetingModelTrainer.Train([new("execution", "A"), new("execution", "B")]));

        Assert.Contains("at least two labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CrossValidate_PredictsEveryExampleOnce()
    {
        var report = MeetingModelTrainer.CrossValidate(Small, folds: 2);

        Assert.Equal(Small.Length, report.AsGiven.Count);
        Assert.Equal(Small.Length, report.TitleOnly.Count);
        Assert.Equal(2, report.FoldMacroF1.Count);
        Assert.InRange(report.MacroF1, 0, 1);
    }

    [Fact]
    public void SavedModel_LoadsBackWithTheSamePredictions()
    {
        var model = MeetingModelTrainer.Train(Small);
        using var trained = MeetingClassifier.FromModel(model);

        using var loaded = MeetingClassifiers.Load(model.ToBytes(), "round trip");

        // The version hashes the file, and ML.NET stamps save times into it, so only the predictions must match.
        Assert.Matches("^m-[0-9a-f]{10}$", loaded.ModelVersion);
        Assert.Equal(
            Probes.Select(t => trained.ClassifyTitle(t, MeetingSignals.Unknown).Confidence),
            Probes.Select(t => loaded.ClassifyTitle(t, MeetingSignals.Unknown).Confidence));
    }

    /// <summary>
    /// Catches a committed model that no longer matches the shipped data or the feature code.
    /// To regenerate: <c>etrap model train --only --data src/ExecutionTrap.Classification/Data/training.tsv
    /// --out src/ExecutionTrap.Classification/Model/meeting-classifier.zip</c>, or run this test with
    /// ETRAP_UPDATE_MODEL=1, which writes the retrained model there.
    /// </summary>
    [Fact]
    public void BuiltInModel_MatchesRetrainingFromTheShippedData()
    {
        var data = BuiltInTrainingData.Load();
        List<(string Title, MeetingSignals Signals)> sample =
            [.. data.Where((_, i) => i % 10 == 0).Select(e => (e.Title, e.Signals)), .. Probes.Select(t => (t, MeetingSignals.Unknown))];
        var model = MeetingModelTrainer.Train(data);
        using var retrained = MeetingClassifier.FromModel(model);
        UpdateCommittedModelIfAsked(model);

        var expected = retrained.ClassifyTitles(sample);
        var actual = fixture.Classifier.ClassifyTitles(sample);

        var differences = sample
            .Select((s, i) => (s.Title, Expected: expected[i], Actual: actual[i]))
            .Where(d => d.Expected.Category != d.Actual.Category || Math.Abs(d.Expected.Confidence - d.Actual.Confidence) > 1e-3)
            .Select(d => $"{d.Title}: retrained {d.Expected.Category?.ToString() ?? "excluded"} {d.Expected.Confidence}, committed {d.Actual.Category?.ToString() ?? "excluded"} {d.Actual.Confidence}")
            .ToList();
        Assert.True(differences.Count == 0, "The committed model is stale; retrain it (see this test's summary):\n" + string.Join('\n', differences.Take(10)));
    }

    private static void UpdateCommittedModelIfAsked(TrainedMeetingModel model)
    {
        if (Environment.GetEnvironmentVariable("ETRAP_UPDATE_MODEL") != "1")
        {
            return;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExecutionTrap.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(
            directory?.FullName ?? throw new InvalidOperationException("no ExecutionTrap.sln above the test binaries"),
            "src", "ExecutionTrap.Classification", "Model", "meeting-classifier.zip");
        using var file = File.Create(path);
        model.Save(file);
    }
}
