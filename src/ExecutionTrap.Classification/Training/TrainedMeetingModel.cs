using System.Security.Cryptography;
using ExecutionTrap.Classification.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ExecutionTrap.Classification.Training;

/// <summary>A fitted ML.NET pipeline (title featuriser, signals, multiclass trainer) with its input schema.</summary>
internal sealed class TrainedMeetingModel
{
    public const string ScoreColumn = "Score";

    internal TrainedMeetingModel(MLContext context, ITransformer transformer, DataViewSchema inputSchema)
    {
        Context = context;
        Transformer = transformer;
        InputSchema = inputSchema;
    }

    public MLContext Context { get; }

    public ITransformer Transformer { get; }

    public DataViewSchema InputSchema { get; }

    public void Save(Stream stream) => Context.Model.Save(Transformer, InputSchema, stream);

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        Save(buffer);
        return buffer.ToArray();
    }

    /// <summary>"m-" and the first 10 hex digits of the SHA-256 of the saved model.</summary>
    public static string VersionOf(ReadOnlySpan<byte> modelBytes) =>
        "m-" + Convert.ToHexStringLower(SHA256.HashData(modelBytes))[..10];

    /// <summary>Loads a saved model; anything that is not one of ours fails with <see cref="InvalidDataException"/>.</summary>
    public static TrainedMeetingModel Load(Stream stream, string sourceName)
    {
        var context = new MLContext(seed: MeetingModelTrainer.Seed);
        ITransformer transformer;
        DataViewSchema inputSchema;
        try
        {
            transformer = context.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException
            or ArgumentException or IOException or NotSupportedException)
        {
            throw new InvalidDataException($"{sourceName} is not an ML.NET model file ({e.Message})", e);
        }

        var model = new TrainedMeetingModel(context, transformer, inputSchema);
        model.CheckShape(sourceName);
        return model;
    }

    /// <summary>The class slugs in the order of the score vector.</summary>
    public IReadOnlyList<string> ClassNames(string sourceName)
    {
        var output = Transformer.GetOutputSchema(InputSchema);
        var score = output.GetColumnOrNull(ScoreColumn);
        if (score is null || !score.Value.HasSlotNames())
        {
            throw new InvalidDataException($"{sourceName} is not a meeting-classifier model: it has no scored classes");
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        score.Value.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private void CheckShape(string sourceName)
    {
        var title = InputSchema.GetColumnOrNull(nameof(ModelInput.Title));
        var signals = InputSchema.GetColumnOrNull(nameof(ModelInput.Signals));
        if (title is null || signals is null
            || signals.Value.Type is not VectorDataViewType { Size: ModelInput.SignalCount })
        {
            throw new InvalidDataException(
                $"{sourceName} is an ML.NET model but not a meeting-classifier model of this version (it expects other inputs)");
        }

        var unknown = ClassNames(sourceName).Where(n => !ModelClasses.IsKnown(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidDataException($"{sourceName} predicts unknown classes: {string.Join(", ", unknown)}");
        }
    }
}
