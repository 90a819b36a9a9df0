using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.Classification;

/// <summary>Loads a classifier without dependency injection (the CLI, tests, benchmarks).</summary>
internal static class MeetingClassifiers
{
    public const string BuiltInModelResource = "ExecutionTrap.Classification.meeting-classifier.zip";
    public const string BuiltInName = "the built-in model";

    public static MeetingClassifier LoadBuiltIn(double uncertainBelow = 0.5)
    {
        using var stream = typeof(MeetingClassifiers).Assembly.GetManifestResourceStream(BuiltInModelResource)
            ?? throw new InvalidOperationException(
                "This build has no built-in meeting model (Model/meeting-classifier.zip was missing when it was built)");
        return Load(ReadAll(stream), BuiltInName, uncertainBelow);
    }

    /// <summary>Loads a model file; a missing file or a file that is not a meeting model fails with a message naming it.</summary>
    public static MeetingClassifier Load(string path, double uncertainBelow = 0.5)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("the model path is empty", nameof(path));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file '{path}' does not exist", path);
        }

        return Load(File.ReadAllBytes(path), $"model file '{path}'", uncertainBelow);
    }

    /// <summary>
    /// Loads model bytes; <paramref name="version"/> names the model in every decision it makes
    /// (default: the content hash, "m-…").
    /// </summary>
    public static MeetingClassifier Load(byte[] modelBytes, string sourceName, double uncertainBelow = 0.5, string? version = null)
    {
        var model = TrainedMeetingModel.FromBytes(modelBytes, sourceName);
        return new MeetingClassifier(model, version ?? TrainedMeetingModel.VersionOf(modelBytes), uncertainBelow);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
