namespace ExecutionTrap.Cli;

/// <summary>The streams a command talks through, so tests run commands in process.</summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static CliConsole System => new(Console.In, Console.Out, Console.Error);
}
