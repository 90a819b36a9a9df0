using ExecutionTrap.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await EtrapCli.RunAsync(args, CliConsole.System, cancellation.Token);
