using ExecutionTrap.Classification.Training;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Classification;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Classification;

public sealed class ModelRetrainerTests : IDisposable
{
    private static readonly Instant LastWeek = ClassificationHost.Now - Duration.FromDays(6);

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"etrap-retrain-{Guid.NewGuid():N}.tsv");

    public ModelRetrainerTests()
    {
        // A small slice of the shipped data keeps each training to seconds.
        var lines = BuiltInTrainingData.Load()
            .GroupBy(e => e.Label)
            .SelectMany(g => g.Take(40))
            .Select(e => $"{e.Label}\t{e.Title}");
        File.WriteAllLines(_data, lines);
    }

    [Fact]
    public async Task RetrainAsync_RejectsTheNewModel_WhenItIsWorseOnTheHeldOutSlice()
    {
        await using var host = await StartAsync();
        var (organisationId, _, connectionId) = await host.AddLeaderAsync();
        var random = new Random(3);
        foreach (var example in BuiltInTrainingData.Load().Take(60))
        {
            // Corrections that contradict the titles: a model that learns them must get worse.
            var wrong = Labels.AllCategories.Where(c => c.ToSlug() != example.Label).ElementAt(random.Next(4));
            await host.AddMeetingAsync(connectionId, example.Title, LastWeek, Category.Execution, corrected: wrong);
        }

        RetrainResult result;
        await using (var scope = host.Scope())
        {
            result = await ClassificationHost.Get<ModelRetrainer>(scope).RetrainAsync(organisationId, CancellationToken.None);
        }

        await using var check = host.Scope();
        Assert.False(result.Accepted);
        Assert.True(result.CandidateMacroF1 < result.CurrentMacroF1);
        Assert.Empty(await ClassificationHost.Get<ExecutionTrapDbContext>(check).ModelVersions.ToListAsync());
    }

    [Fact]
    public async Task RetrainAsync_ActivatesANewVersion_WhenItIsNotWorse_AndRollBackRestoresTheOneBefore()
    {
        await using var host = await StartAsync();
        var (organisationId, _, connectionId) = await host.AddLeaderAsync();
        await StoreVersionAsync(host, organisationId, version: 1, WeakModel());
        foreach (var example in BuiltInTrainingData.Load().Where((_, i) => i % 25 == 0))
        {
            if (Labels.TryParseCategory(example.Label, out var category))
            {
                await host.AddMeetingAsync(connectionId, example.Title, LastWeek, Category.Execution, corrected: category);
            }
        }

        RetrainResult result;
        await using (var scope = host.Scope())
        {
            result = await ClassificationHost.Get<ModelRetrainer>(scope).RetrainAsync(organisationId, CancellationToken.None);
        }

        var classifiers = host.Singleton<OrganisationClassifiers>();
        var afterRetrain = (await classifiers.ForOrganisationAsync(organisationId, CancellationToken.None)).ModelVersion;
        int? rolledBackTo;
        await using (var scope = host.Scope())
        {
            rolledBackTo = await ClassificationHost.Get<ModelVersions>(scope).RollBackAsync(organisationId, CancellationToken.None);
        }

        var afterRollBack = (await classifiers.ForOrganisationAsync(organisationId, CancellationToken.None)).ModelVersion;
        Assert.True(result.Accepted, result.Reason);
        Assert.Equal(2, result.Version);
        Assert.StartsWith("org-v2:m-", afterRetrain, StringComparison.Ordinal);
        Assert.Equal(1, rolledBackTo);
        Assert.StartsWith("org-v1:m-", afterRollBack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetrainAsync_TrainsNothing_WithTooFewCorrections()
    {
        await using var host = await StartAsync(minimumCorrections: 5);
        var (organisationId, _, connectionId) = await host.AddLeaderAsync();
        await host.AddMeetingAsync(connectionId, "Kestrel review", LastWeek, Category.Execution, corrected: Category.Strategy);

        await using var scope = host.Scope();
        var result = await ClassificationHost.Get<ModelRetrainer>(scope).RetrainAsync(organisationId, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(1, result.Corrections);
    }

    public void Dispose() => File.Delete(_data);

    private Task<ClassificationHost> StartAsync(int minimumCorrections = 1) => ClassificationHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["ModelRetraining:TrainingDataPath"] = _data,
        ["ModelRetraining:CalibrationFolds"] = "2",
        ["ModelRetraining:MinimumCorrections"] = minimumCorrections.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    // Trained on shuffled labels: a stored version that any honest model beats.
    private static byte[] WeakModel()
    {
        var examples = BuiltInTrainingData.Load().Take(120).ToList();
        var shuffled = examples.Select((e, i) => e with { Label = examples[(i * 7 + 3) % examples.Count].Label });
        return MeetingModelTrainer.Train(shuffled, MeetingTrainerSettings.Default with { CalibrationFolds = 0 }).ToBytes();
    }

    private static async Task StoreVersionAsync(ClassificationHost host, Guid organisationId, int version, byte[] bytes)
    {
        await using var scope = host.Scope();
        var db = ClassificationHost.Get<ExecutionTrapDbContext>(scope);
        db.ModelVersions.Add(new ModelVersion { OrganisationId = organisationId, Version = version, Bytes = bytes, IsActive = true, CreatedAt = ClassificationHost.Now });
        await db.SaveChangesAsync();
    }
}
