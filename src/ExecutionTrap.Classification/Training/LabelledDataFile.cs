using System.Globalization;
using ExecutionTrap.Classification.Features;
using ExecutionTrap.Domain.Meetings;

namespace ExecutionTrap.Classification.Training;

/// <summary>
/// Reads labelled lines <c>label&lt;TAB&gt;title[&lt;TAB&gt;attendees&lt;TAB&gt;minutes&lt;TAB&gt;recurring]</c>.
/// Blank lines and lines starting with '#' are skipped; an empty signal field means unknown.
/// A bad line throws a <see cref="FormatException"/> naming the file and the line.
/// </summary>
internal static class LabelledDataFile
{
    public static IReadOnlyList<LabelledExample> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such labelled data file", path);
        }

        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    public static IReadOnlyList<LabelledExample> Parse(TextReader reader, string sourceName)
    {
        var examples = new List<LabelledExample>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            if (lineNumber == 1 && fields[0].Trim().Equals("label", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            examples.Add(ParseLine(fields, sourceName, lineNumber));
        }

        return examples;
    }

    private static LabelledExample ParseLine(string[] fields, string sourceName, int lineNumber)
    {
        FormatException Bad(string problem) => new($"{sourceName} line {lineNumber}: {problem}");

        if (fields.Length < 2)
        {
            throw Bad("expected label<TAB>title[<TAB>attendees<TAB>minutes<TAB>recurring], found no tab");
        }

        if (fields.Length > 5)
        {
            throw Bad($"expected at most 5 tab-separated fields, found {fields.Length}");
        }

        var label = NormalizeLabel(fields[0].Trim())
            ?? throw Bad($"unknown label '{fields[0].Trim()}' (expected one of {string.Join(", ", ModelClasses.All)})");
        var title = fields[1].Trim();
        if (title.Length == 0)
        {
            throw Bad("the title is empty");
        }

        var attendees = Field(fields, 2) is { } a
            ? int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
                ? count
                : throw Bad($"attendees '{a}' is not a positive whole number")
            : (int?)null;
        var minutes = Field(fields, 3) is { } m
            ? double.TryParse(m, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw Bad($"minutes '{m}' is not a positive number")
            : (double?)null;
        var recurring = Field(fields, 4) is { } r
            ? ParseBool(r) ?? throw Bad($"recurring '{r}' is not true/false")
            : (bool?)null;

        return new LabelledExample(label, title, new MeetingSignals(attendees, minutes, recurring));
    }

    // Exclusion reasons ("not-a-meeting", "out-of-office") are accepted as "excluded":
    // the model decides only whether an event is a meeting at all.
    private static string? NormalizeLabel(string label)
    {
        if (Labels.TryParseCategory(label, out var category))
        {
            return category.ToSlug();
        }

        return label.Equals(Labels.Excluded, StringComparison.OrdinalIgnoreCase) || Labels.TryParseExclusion(label, out _)
            ? Labels.Excluded
            : null;
    }

    private static string? Field(string[] fields, int index) =>
        fields.Length > index && fields[index].Trim() is { Length: > 0 } value ? value : null;

    private static bool? ParseBool(string value) => value.ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "1" => true,
        "false" or "no" or "n" or "0" => false,
        _ => null,
    };
}
