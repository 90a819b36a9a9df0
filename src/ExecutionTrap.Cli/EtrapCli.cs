using ExecutionTrap.Cli.Commands;
using ExecutionTrap.Domain.Calendars;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Cli;

/// <summary>`etrap`: the same code as the service, without the service (cli.md is its contract).</summary>
internal static class EtrapCli
{
    public const string Usage = """
        usage: etrap <command> [options]

          analyze SOURCE [--week YYYY-Www] [--timezone IANA-ID] [--target N] [--format text|json|html]
                         [--out PATH] [--model PATH] [--owner ADDRESS] [--email-to ADDRESS [--smtp HOST:PORT]]
          classify [TITLE ...] [--format text|json] [--model PATH] [--explain]
          model evaluate [--data FILE] [--format text|json] [--model PATH]   (no --data: data/realworld/dev.tsv, then data/heldout.tsv)
          model train --data FILE --out MODEL [--only]
          fetch --provider microsoft|google --access-token TOKEN [--from DATE --to DATE]
                [--base-url URL] [--state FILE] [--format json]
          bench [--events N] [--titles N] [--runs N]
          bench sync --provider microsoft|google [--events N] [--page-size N]
          bench reports [--count N] [--threads N]
        """;

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0)
            {
                await console.Error.WriteLineAsync(Usage);
                return ExitCodes.Usage;
            }

            if (args[0] is "-h" or "--help" or "help")
            {
                await console.Out.WriteLineAsync(Usage);
                return ExitCodes.Success;
            }

            var rest = args.Skip(1).ToArray();
            return args[0] switch
            {
                "analyze" => await AnalyzeCommand.RunAsync(rest, console, cancellationToken),
                "classify" => await ClassifyCommand.RunAsync(rest, console, cancellationToken),
                "model" => await ModelCommand.RunAsync(rest, console, cancellationToken),
                "fetch" => await FetchCommand.RunAsync(rest, console, cancellationToken),
                "bench" when rest is ["sync", ..] => await BenchSyncCommand.RunAsync(rest[1..], console, cancellationToken),
                "bench" when rest is ["reports", ..] => await BenchReportsCommand.RunAsync(rest[1..], console, cancellationToken),
                "bench" => await BenchCommand.RunAsync(rest, console, cancellationToken),
                _ => throw new UsageException($"unknown command '{args[0]}'."),
            };
        }
        catch (UsageException e)
        {
            await console.Error.WriteLineAsync($"etrap: {e.Message}");
            await console.Error.WriteLineAsync(Usage);
            return ExitCodes.Usage;
        }
        catch (InputException e)
        {
            await console.Error.WriteLineAsync($"etrap: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (CalendarSourceException e) when (e.Kind is CalendarErrorKind.ProviderUnavailable)
        {
            await console.Error.WriteLineAsync($"etrap: {OneLine(e.Message)}");
            return ExitCodes.RemoteFailure;
        }
        catch (CalendarSourceException e)
        {
            await console.Error.WriteLineAsync($"etrap: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (RemoteServiceException e)
        {
            await console.Error.WriteLineAsync($"etrap: {OneLine(e.Message)}");
            return ExitCodes.RemoteFailure;
        }
        catch (IOException e)
        {
            await console.Error.WriteLineAsync($"etrap: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            await console.Error.WriteLineAsync($"etrap: {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
        catch (OptionsValidationException e)
        {
            // appsettings.json or an environment variable holds a value the service would refuse too.
            await console.Error.WriteLineAsync($"etrap: the configuration is not valid: {OneLine(string.Join(" ", e.Failures))}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("etrap: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            // A defect, not the user's input; still one line and no stack trace, as the contract promises.
            await console.Error.WriteLineAsync($"etrap: unexpected error ({e.GetType().Name}): {OneLine(e.Message)}");
            return ExitCodes.BadInput;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
