namespace ExecutionTrap.Classification.Training;

/// <summary>The labelled examples the built-in model was trained on, shipped inside the assembly.</summary>
internal static class BuiltInTrainingData
{
    public const string Resource = "ExecutionTrap.Classification.training.tsv";

    /// <summary>Titles shaped like real calendars (issue 13): prefixes, dates, rooms, names, the families the first file missed.</summary>
    public const string CalendarResource = "ExecutionTrap.Classification.training-calendar.tsv";

    public static IReadOnlyList<LabelledExample> Load() => [.. Read(Resource, "training.tsv"), .. Read(CalendarResource, "training-calendar.tsv")];

    private static IReadOnlyList<LabelledExample> Read(string resource, string fileName)
    {
        using var stream = typeof(BuiltInTrainingData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"This build has no built-in training data (Data/{fileName} was missing when it was built)");
        using var reader = new StreamReader(stream);
        return LabelledDataFile.Parse(reader, $"built-in {fileName}");
    }
}
