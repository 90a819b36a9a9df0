using System.Text.RegularExpressions;

namespace ExecutionTrap.Reports.Rendering;

/// <summary>Fills <c>{{name}}</c> placeholders in one pass, so a value that itself looks like a placeholder stays as it is.</summary>
internal static partial class Template
{
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"The email template uses {{{{{m.Groups[1].Value}}}}} but no value was given for it."));

    [GeneratedRegex(@"\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
