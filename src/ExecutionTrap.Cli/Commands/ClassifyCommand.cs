using System.Globalization;
using System.Text.Json;
using ExecutionTrap.Classification.Features;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Cli.Commands;

/// <summary>`etrap classify [TITLE ...]`: one line per title, category, confidence, title (and evidence).</summary>
internal static class ClassifyCommand
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ["--format", "--model"], ["--explain"]);
        var format = arguments.Choice("--format", "text", "text", "json");
        var explain = arguments.Has("--explain");
        var titles = arguments.Positionals.Count > 0 ? arguments.Positionals.ToList() : await ReadLinesAsync(console.In, cancellationToken);

        using var handle = CliHost.LoadClassifier(arguments.Value("--model"));
        var labels = handle.Classifier.ClassifyTitles(titles.Select(t => (t, MeetingSignals.Unknown)).ToList(), explain);

        if (format == "json")
        {
            var items = titles.Zip(labels, (title, label) => explain
                ? (object)new { title, category = Name(label), confidence = Round(label), evidence = label.Evidence }
                : new { title, category = Name(label), confidence = Round(label) });
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(items, Json));
            return ExitCodes.Success;
        }

        foreach (var (title, label) in titles.Zip(labels))
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{Name(label)}\t{label.Confidence:0.00}\t{title}");
            await console.Out.WriteLineAsync(explain ? $"{line}\t{string.Join(", ", label.Evidence)}" : line);
        }

        return ExitCodes.Success;
    }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Name(MeetingLabel label) => label.Category?.ToSlug() ?? Labels.Excluded;

    private static double Round(MeetingLabel label) => Math.Round(label.Confidence, 2);

    private static async Task<List<string>> ReadLinesAsync(TextReader input, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Trim().Length > 0)
            {
                lines.Add(line.Trim());
            }
        }

        return lines;
    }
}
