namespace ExecutionTrap.Cli;

// A named entry class: the test projects see this assembly's internals, and a top-level
// `Program` would collide with the web host's public Program there.
internal static class EtrapProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        return await EtrapCli.RunAsync(args, CliConsole.System, cancellation.Token);
    }
}
