namespace ExecutionTrap.Classification.Training;

/// <summary>The labelled examples the built-in model was trained on, shipped inside the assembly.</summary>
internal static class BuiltInTrainingData
{
    public const string Resource = "ExecutionTrap.Classification.training.tsv";

    public static IReadOnlyList<LabelledExample> Load()
    {
        using var stream = typeof(BuiltInTrainingData).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException("This build has no built-in training data (Data/training.tsv was missing when it was built)");
        using var reader = new StreamReader(stream);
        return LabelledDataFile.Parse(reader, "built-in training.tsv");
    }
}
