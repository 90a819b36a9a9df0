using System.IO.Compression;
using System.Security.Cryptography;
using ExecutionTrap.Classification.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ExecutionTrap.Classification.Training;

/// <summary>
/// A trained meeting model: an ML.NET multiclass maximum-entropy predictor over hashed features,
/// saved as an ML.NET model file that also carries the feature map (which hash is which feature)
/// and the calibration temperature. Prediction runs on the extracted weights, not through an ML.NET
/// pipeline, so the batch path allocates almost nothing per title. Safe to share between threads.
/// </summary>
internal sealed class TrainedMeetingModel
{
    public const string ScoreColumn = "Score";
    public const string FeaturesColumn = "Features";
    public const string FeatureMapEntry = "ExecutionTrap/feature-map.bin";

    private const int FormatVersion = 1;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly byte[] _bytes;
    private readonly float[] _weights;
    private readonly float[] _biases;
    private readonly HashIndex _vocabulary;

    private TrainedMeetingModel(byte[] bytes, IReadOnlyList<string> classes, float[] weights, float[] biases, HashIndex vocabulary, double temperature)
    {
        _bytes = bytes;
        Classes = classes;
        _weights = weights;
        _biases = biases;
        _vocabulary = vocabulary;
        Temperature = temperature;
    }

    /// <summary>The class slugs in the order of the score vector.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Logits are divided by this before the softmax; fitted by cross-validation on the training data.</summary>
    public double Temperature { get; }

    public int FeatureCount => SignalVector.Count + _vocabulary.Count;

    public void Save(Stream stream) => stream.Write(_bytes);

    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>"m-" and the first 10 hex digits of the SHA-256 of the saved model.</summary>
    public static string VersionOf(ReadOnlySpan<byte> modelBytes) =>
        "m-" + Convert.ToHexStringLower(SHA256.HashData(modelBytes))[..10];

    /// <summary>Calibrated class probabilities for one input, in the order of <see cref="Classes"/>.</summary>
    public double[] Probabilities(ModelInput input)
    {
        var probabilities = new double[Classes.Count];
        Span<double> logits = stackalloc double[Classes.Count];
        Logits(input, logits);
        Softmax(logits, Temperature, probabilities);
        return probabilities;
    }

    /// <summary>The raw (uncalibrated) class scores for one input.</summary>
    public void Logits(ModelInput input, Span<double> logits)
    {
        var scratch = t_scratch ??= new Scratch();
        FeatureExtractor.Extract(input.Title, input.Signals, scratch.Features, scratch.Block, _vocabulary);
        SignalVector.Encode(input.Signals, input.NamesOnly, scratch.Signals);
        var classes = Classes.Count;
        for (var c = 0; c < classes; c++)
        {
            logits[c] = _biases[c];
        }

        for (var s = 0; s < SignalVector.Count; s++)
        {
            var value = scratch.Signals[s];
            if (value != 0)
            {
                AddRow(s, value, logits);
            }
        }

        var features = scratch.Features;
        for (var i = 0; i < features.Count; i++)
        {
            AddRow(SignalVector.Count + (int)features.KeyAt(i), features.ValueAt(i), logits);
        }
    }

    public static void Softmax(ReadOnlySpan<double> logits, double temperature, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var sum = 0.0;
        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] = Math.Exp((logits[c] - max) / temperature);
            sum += probabilities[c];
        }

        for (var c = 0; c < logits.Length; c++)
        {
            probabilities[c] /= sum;
        }
    }

    /// <summary>The same model with another temperature (its file rewritten to carry it).</summary>
    public TrainedMeetingModel WithTemperature(double temperature)
    {
        using var buffer = new MemoryStream();
        buffer.Write(_bytes);
        uint[] vocabulary;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            vocabulary = ReadFeatureMap(_bytes, "the model").Vocabulary;
            zip.GetEntry(FeatureMapEntry)?.Delete();
            WriteFeatureMap(zip, vocabulary, temperature);
        }

        return new TrainedMeetingModel(buffer.ToArray(), Classes, _weights, _biases, _vocabulary, temperature);
    }

    /// <summary>Writes an ML.NET predictor and the feature map beside it into one model file.</summary>
    public static byte[] Write(MLContext context, ITransformer predictor, DataViewSchema inputSchema, IReadOnlyList<uint> vocabulary, double temperature)
    {
        using var buffer = new MemoryStream();
        context.Model.Save(predictor, inputSchema, buffer);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            WriteFeatureMap(zip, vocabulary, temperature);
        }

        return buffer.ToArray();
    }

    private static void WriteFeatureMap(ZipArchive zip, IReadOnlyList<uint> vocabulary, double temperature)
    {
        var entry = zip.CreateEntry(FeatureMapEntry, CompressionLevel.Optimal);
        using var writer = new BinaryWriter(entry.Open());
        writer.Write(FormatVersion);
        writer.Write(temperature);
        writer.Write(SignalVector.Count);
        writer.Write(vocabulary.Count);
        foreach (var hash in vocabulary)
        {
            writer.Write(hash);
        }
    }

    /// <summary>Loads a saved model; anything that is not one of ours fails with <see cref="InvalidDataException"/>.</summary>
    public static TrainedMeetingModel Load(Stream stream, string sourceName)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return FromBytes(buffer.ToArray(), sourceName);
    }

    public static TrainedMeetingModel FromBytes(byte[] bytes, string sourceName)
    {
        var context = new MLContext(seed: MeetingModelTrainer.Seed);
        ITransformer transformer;
        DataViewSchema inputSchema;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            transformer = context.Model.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException
            or ArgumentException or IOException or NotSupportedException)
        {
            throw new InvalidDataException($"{sourceName} is not an ML.NET model file ({e.Message})", e);
        }

        var (vocabulary, temperature) = ReadFeatureMap(bytes, sourceName);
        var predictor = FindPredictor(transformer)
            ?? throw NotOurs(sourceName, "it holds no maximum-entropy predictor");
        var features = inputSchema.GetColumnOrNull(FeaturesColumn);
        if (features is null || features.Value.Type is not VectorDataViewType { Size: var size } || size != SignalVector.Count + vocabulary.Length)
        {
            throw NotOurs(sourceName, "its inputs do not match its feature map");
        }

        var classes = ClassNames(transformer, inputSchema, sourceName);
        VBuffer<float>[] weights = [];
        predictor.GetWeights(ref weights, out var classCount);
        var biases = predictor.GetBiases().ToArray();
        if (classCount != classes.Count || biases.Length != classCount)
        {
            throw NotOurs(sourceName, "its weights do not match its classes");
        }

        var rows = size;
        var dense = new float[rows * classCount];
        for (var c = 0; c < classCount; c++)
        {
            var r = 0;
            foreach (var value in weights[c].DenseValues())
            {
                dense[(r * classCount) + c] = value;
                r++;
            }
        }

        return new TrainedMeetingModel(bytes, classes, dense, biases, new HashIndex(vocabulary), temperature);
    }

    private void AddRow(int row, float value, Span<double> logits)
    {
        var offset = row * logits.Length;
        for (var c = 0; c < logits.Length; c++)
        {
            logits[c] += value * _weights[offset + c];
        }
    }

    private static MaximumEntropyModelParameters? FindPredictor(ITransformer transformer) => transformer switch
    {
        IPredictionTransformer<MaximumEntropyModelParameters> prediction => prediction.Model,
        TransformerChain<ITransformer> chain => chain.Select(FindPredictor).LastOrDefault(p => p is not null),
        _ => null,
    };

    private static (uint[] Vocabulary, double Temperature) ReadFeatureMap(byte[] bytes, string sourceName)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            var entry = zip.GetEntry(FeatureMapEntry) ?? throw NotOurs(sourceName, "it has no feature map");
            using var reader = new BinaryReader(entry.Open());
            if (reader.ReadInt32() != FormatVersion)
            {
                throw NotOurs(sourceName, "its feature map has another format");
            }

            var temperature = reader.ReadDouble();
            var signals = reader.ReadInt32();
            var count = reader.ReadInt32();
            if (signals != SignalVector.Count || count < 0 || temperature is not (> 0 and < 1000))
            {
                throw NotOurs(sourceName, "its feature map does not fit this version");
            }

            var vocabulary = new uint[count];
            for (var i = 0; i < count; i++)
            {
                vocabulary[i] = reader.ReadUInt32();
            }

            return (vocabulary, temperature);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{sourceName} has a truncated feature map", e);
        }
    }

    private static List<string> ClassNames(ITransformer transformer, DataViewSchema inputSchema, string sourceName)
    {
        var score = transformer.GetOutputSchema(inputSchema).GetColumnOrNull(ScoreColumn);
        if (score is null || !score.Value.HasSlotNames())
        {
            throw NotOurs(sourceName, "it has no scored classes");
        }

        VBuffer<ReadOnlyMemory<char>> names = default;
        score.Value.GetSlotNames(ref names);
        List<string> classes = [.. names.DenseValues().Select(n => n.ToString())];
        var unknown = classes.Where(n => !ModelClasses.IsKnown(n)).ToList();
        return unknown.Count > 0
            ? throw new InvalidDataException($"{sourceName} predicts unknown classes: {string.Join(", ", unknown)}")
            : classes;
    }

    private static InvalidDataException NotOurs(string sourceName, string why) =>
        new($"{sourceName} is an ML.NET model but not a meeting-classifier model of this version ({why})");

    private sealed class Scratch
    {
        public FeatureBag Features { get; } = new();

        public FeatureBag Block { get; } = new();

        public float[] Signals { get; } = new float[SignalVector.Count];
    }
}
