using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.UnitTests.Classification.Training;

public sealed class TrainingDataTests
{
    [Fact]
    public void ShippedTrainingData_SharesNoTitleWithTheHeldOutFile()
    {
        var training = BuiltInTrainingData.Load();
        var heldOut = LabelledDataFile.Read(Path.Combine(RepositoryRoot(), "data", "heldout.tsv"));

        // Compared as a person would read them: case and surrounding spaces do not make a title new.
        var heldOutTitles = heldOut.Select(e => Key(e.Title)).ToHashSet(StringComparer.Ordinal);
        var shared = training.Where(e => heldOutTitles.Contains(Key(e.Title))).Select(e => e.Title).Distinct().ToList();

        Assert.NotEmpty(heldOut);
        Assert.True(shared.Count == 0, "Training titles also in data/heldout.tsv: " + string.Join(" | ", shared.Take(10)));
    }

    [Fact]
    public void ShippedTrainingData_HasEveryClass()
    {
        var training = BuiltInTrainingData.Load();

        Assert.Equal(ModelClasses.All.Order(StringComparer.Ordinal), training.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal));
    }

    private static string Key(string title) => title.Trim().ToLowerInvariant();

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
