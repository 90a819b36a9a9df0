using System.Globalization;
using System.Text;
using System.Text.Json;
using ExecutionTrap.Classification.Evaluation;
using ExecutionTrap.Classification.Training;

namespace ExecutionTrap.Cli.Commands;

/// <summary>`etrap model evaluate|train`: measure a model on labelled titles, or train one.</summary>
internal static class ModelCommand
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            throw new UsageException("model needs a subcommand: evaluate or train.");
        }

        return args[0] switch
        {
            "evaluate" => await EvaluateAsync(args[1..], console),
            "train" => await TrainAsync(args[1..], console, cancellationToken),
            _ => throw new UsageException($"unknown model subcommand '{args[0]}'."),
        };
    }

    private static async Task<int> EvaluateAsync(string[] args, CliConsole console)
    {
        var arguments = CliArguments.Parse(args, ["--data", "--format", "--model"], []);
        var format = arguments.Choice("--format", "text", "text", "json");
        using var handle = CliHost.LoadClassifier(arguments.Value("--model"));

        if (arguments.Value("--data") is { } data)
        {
            var report = ModelEvaluator.Evaluate(handle.Classifier, ReadData(data));
            await console.Out.WriteAsync(format == "json" ? Json(report) : Text(report, data));
            return ExitCodes.Success;
        }

        // Without --data, the titles people really wrote come first; the held-out file, written the way the
        // training data was, follows as the in-distribution check (issue 13).
        var (realWorld, heldOut) = DefaultDataSets();
        var realWorldReport = ModelEvaluator.Evaluate(handle.Classifier, ReadData(realWorld));
        var heldOutReport = ModelEvaluator.Evaluate(handle.Classifier, ReadData(heldOut));
        await console.Out.WriteAsync(format == "json"
            ? JsonSerializer.Serialize(new { realWorld = JsonBody(realWorldReport), heldOut = JsonBody(heldOutReport) }, ClassifyCommand.Json) + "\n"
            : Text(realWorldReport, realWorld) + "\n" + Text(heldOutReport, heldOut));
        return ExitCodes.Success;
    }

    /// <summary>data/realworld/dev.tsv and data/heldout.tsv of the checkout the command runs in (this folder or one above it).</summary>
    private static (string RealWorld, string HeldOut) DefaultDataSets()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var realWorld = Path.Combine(directory.FullName, "data", "realworld", "dev.tsv");
            var heldOut = Path.Combine(directory.FullName, "data", "heldout.tsv");
            if (File.Exists(realWorld) && File.Exists(heldOut))
            {
                return (Path.GetRelativePath(Directory.GetCurrentDirectory(), realWorld), Path.GetRelativePath(Directory.GetCurrentDirectory(), heldOut));
            }
        }

        throw new UsageException("model evaluate needs --data FILE (or a checkout with data/realworld/dev.tsv and data/heldout.tsv).");
    }

    private static async Task<int> TrainAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ["--data", "--out"], ["--only"]);
        var data = arguments.Value("--data") ?? throw new UsageException("model train needs --data FILE.");
        var output = arguments.Value("--out") ?? throw new UsageException("model train needs --out MODEL.");
        var examples = ReadData(data).ToList();
        if (!arguments.Has("--only"))
        {
            examples.AddRange(BuiltInTrainingData.Load());
        }

        var crossValidation = MeetingModelTrainer.CrossValidate(examples);
        var model = MeetingModelTrainer.Train(examples);
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(output));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            await File.WriteAllBytesAsync(output, model.ToBytes(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--out: cannot write '{output}': {e.Message}");
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"trained on {examples.Count} examples; cross-validated macro-F1 {crossValidation.MacroF1:0.000}; written to {output}"));
        return ExitCodes.Success;
    }

    private static IReadOnlyList<LabelledExample> ReadData(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"--data: no file at '{path}'.");
        }

        try
        {
            var examples = LabelledDataFile.Read(path);
            return examples.Count > 0 ? examples : throw new InputException($"--data: '{path}' holds no labelled lines.");
        }
        catch (FormatException e)
        {
            throw new InputException(e.Message);
        }
    }

    private static string Json(EvaluationReport report) => JsonSerializer.Serialize(JsonBody(report), ClassifyCommand.Json) + "\n";

    private static object JsonBody(EvaluationReport report) =>
        new
        {
            count = report.Count,
            accuracy = Math.Round(report.Accuracy, 4),
            macroF1 = Math.Round(report.MacroF1, 4),
            perClass = report.PerClass.ToDictionary(
                c => c.Label,
                c => new { precision = Math.Round(c.Precision, 4), recall = Math.Round(c.Recall, 4), f1 = Math.Round(c.F1, 4), support = c.Support }),
            confusion = new { classes = report.Classes, rows = report.Confusion },
            calibration = new
            {
                expectedCalibrationError = Math.Round(report.ExpectedCalibrationError, 4),
                bins = report.Calibration.Select(b => new { lower = b.Lower, upper = b.Upper, count = b.Count, meanConfidence = Math.Round(b.MeanConfidence, 4), accuracy = Math.Round(b.Accuracy, 4) }),
            },
            sureButWrong = new { minConfidence = EvaluationReport.SureConfidence, count = report.SureButWrong, share = Math.Round(report.SureButWrongShare, 4) },
        };

    private static string Text(EvaluationReport report, string data)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{report.Count} examples from {data}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{"class",-20}{"precision",10}{"recall",10}{"f1",10}{"support",10}\n");
        foreach (var c in report.PerClass)
        {
            text.Append(CultureInfo.InvariantCulture, $"{c.Label,-20}{c.Precision,10:0.000}{c.Recall,10:0.000}{c.F1,10:0.000}{c.Support,10}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\naccuracy {report.Accuracy:0.000}   macro-F1 {report.MacroF1:0.000}\n\nconfusion (rows: expected, columns: predicted)\n");
        text.Append(CultureInfo.InvariantCulture, $"{"",-20}{string.Concat(report.Classes.Select(c => $"{Short(c),8}"))}\n");
        for (var i = 0; i < report.Classes.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{report.Classes[i],-20}{string.Concat(report.Confusion[i].Select(n => $"{n,8}"))}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\ncalibration: expected calibration error {report.ExpectedCalibrationError:0.000}; wrong with confidence >= {EvaluationReport.SureConfidence:0.0}: {report.SureButWrong} of {report.Count} ({report.SureButWrongShare:0.0%})\n");
        foreach (var bin in report.Calibration.Where(b => b.Count > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $"  confidence {bin.Lower:0.0}–{bin.Upper:0.0}: {bin.Count,5} examples, mean confidence {bin.MeanConfidence:0.000}, accuracy {bin.Accuracy:0.000}\n");
        }

        return text.ToString();
    }

    private static string Short(string label) => label.Length <= 7 ? label : label[..7];
}
