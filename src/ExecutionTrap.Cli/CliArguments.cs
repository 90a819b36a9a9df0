namespace ExecutionTrap.Cli;

/// <summary>The command line's words: positionals, options with a value, and flags.</summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _flags;

    private CliArguments(List<string> positionals, Dictionary<string, string> options, HashSet<string> flags)
    {
        Positionals = positionals;
        _options = options;
        _flags = flags;
    }

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Splits <paramref name="args"/>; an unknown option or a missing value is a usage error.</summary>
    public static CliArguments Parse(IEnumerable<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        using var words = args.GetEnumerator();
        var onlyPositionals = false;
        while (words.MoveNext())
        {
            var word = words.Current;
            if (onlyPositionals || !word.StartsWith("--", StringComparison.Ordinal) || word == "-")
            {
                positionals.Add(word);
                continue;
            }

            if (word == "--")
            {
                onlyPositionals = true;
                continue;
            }

            var name = word;
            string? inline = null;
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = word[..equals];
                inline = word[(equals + 1)..];
            }

            if (flagOptions.Contains(name) && inline is null)
            {
                flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                var value = inline ?? (words.MoveNext() ? words.Current : throw new UsageException($"{name} needs a value."));
                options[name] = value;
            }
            else
            {
                throw new UsageException($"unknown option {name}.");
            }
        }

        return new CliArguments(positionals, options, flags);
    }

    public string? Value(string name) => _options.GetValueOrDefault(name);

    public bool Has(string name) => _flags.Contains(name);

    public int? Int(string name, int min, int max)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InputException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
    }

    public double? Number(string name, double min, double max)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InputException($"{name} must be a number from {min} to {max}, not '{text}'.");
    }

    public string Choice(string name, string fallback, params string[] choices)
    {
        var value = Value(name) ?? fallback;
        return choices.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new InputException($"{name} must be one of {string.Join(", ", choices)}, not '{value}'.");
    }
}

/// <summary>Exit code 2: the command line itself is wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Exit code 1: the input could not be used.</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>Exit code 3: a remote service failed after retries.</summary>
internal sealed class RemoteServiceException(string message) : Exception(message);
