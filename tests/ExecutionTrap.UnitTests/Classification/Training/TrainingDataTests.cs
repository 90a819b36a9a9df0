using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.UnitTests.Classification.Training;

public sealed class TrainingDataTests
{
    [Fact]
    public void ShippedTrainingData_SharesNoTitleWithTheHeldOutFile()
    {
        var training = BuiltInTrainingData.Load();
        var heldOut = LabelledDataFile.Read(Path.Combine(RepositoryRoot(), "data", "heldout.tsv"));

        // Compared as a person would read them: case and spacing do not make a title new.
        var heldOutTitles = heldOut.Select(e => Key(e.Title)).ToHashSet(StringComparer.Ordinal);
        var shared = training.Where(e => heldOutTitles.Contains(Key(e.Title))).Select(e => e.Title).Distinct().ToList();

        Assert.NotEmpty(heldOut);
        Assert.True(shared.Count == 0, "Training titles also in data/heldout.tsv: " + string.Join(" | ", shared.Take(10)));
    }

    [Fact]
    public void ShippedTrainingData_SharesNoTitleWithTheRealWorldDevSet()
    {
        var training = BuiltInTrainingData.Load();
        var dev = LabelledDataFile.Read(RealWorldDevSet());

        var devTitles = dev.Select(e => Key(e.Title)).ToHashSet(StringComparer.Ordinal);
        var shared = training.Where(e => devTitles.Contains(Key(e.Title))).Select(e => e.Title).Distinct().ToList();

        Assert.True(shared.Count == 0, "Training titles also in data/realworld/dev.tsv: " + string.Join(" | ", shared.Take(10)));
    }

    [Fact]
    public void RealWorldDevSet_HasFourHundredDistinctTitlesAndFortyOfEveryClass()
    {
        var dev = LabelledDataFile.Read(RealWorldDevSet());

        var distinct = dev.DistinctBy(e => Key(e.Title)).ToList();
        var perClass = distinct.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(dev.Count, distinct.Count);
        Assert.InRange(distinct.Count, 400, int.MaxValue);
        Assert.All(ModelClasses.All, c => Assert.True(perClass.GetValueOrDefault(c) >= 40, $"{c}: {perClass.GetValueOrDefault(c)} titles"));
    }

    [Fact]
    public void RealWorldDevSet_NamesTheSourceAndLicenceOfEveryTitle()
    {
        var dev = LabelledDataFile.Read(RealWorldDevSet());
        var provenance = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(RealWorldDevSet())!, "dev-provenance.tsv"))
            .Skip(1)
            .Select(line => line.Split('\t'))
            .ToList();

        var byTitle = provenance.ToDictionary(f => f[0], StringComparer.Ordinal);
        var missing = dev.Where(e => !byTitle.ContainsKey(e.Title)).Select(e => e.Title).ToList();

        Assert.True(missing.Count == 0, "Titles without provenance: " + string.Join(" | ", missing.Take(10)));
        Assert.All(provenance, f =>
        {
            Assert.Equal(5, f.Length);
            Assert.All(f, field => Assert.False(string.IsNullOrWhiteSpace(field)));
        });
        Assert.All(dev, e => Assert.Equal(e.Label, byTitle[e.Title][1]));
    }

    [Fact]
    public void ShippedTrainingData_HasEveryClass()
    {
        var training = BuiltInTrainingData.Load();

        Assert.Equal(ModelClasses.All.Order(StringComparer.Ordinal), training.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal));
    }

    private static string Key(string title) => string.Join(' ', title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string RealWorldDevSet() => Path.Combine(RepositoryRoot(), "data", "realworld", "dev.tsv");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExecutionTrap.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("no ExecutionTrap.sln above the test binaries");
    }
}
