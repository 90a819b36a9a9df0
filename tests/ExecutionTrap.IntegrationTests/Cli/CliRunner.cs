using System.Diagnostics;
using System.Text.Json;
using ExecutionTrap.Cli;

namespace ExecutionTrap.IntegrationTests.Cli;

/// <summary>What one `etrap` run left behind: its exit code and both streams.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public IReadOnlyList<string> ErrorLines => Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    /// <summary>The contract for exit code 1: one line on stderr that names the problem, no stack trace.</summary>
    public void AssertBadInput(params string[] named)
    {
        Assert.True(ExitCode == 1, $"exit code {ExitCode}, stderr: {Error}");
        var line = Assert.Single(ErrorLines);
        Assert.StartsWith("etrap: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", Error, StringComparison.Ordinal);
        foreach (var word in named)
        {
            Assert.Contains(word, line, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("", Out);
    }
}

/// <summary>
/// Runs `etrap` two ways: in process through <see cref="EtrapCli.RunAsync"/> (fast, most tests),
/// and as the real built program through <c>dotnet etrap.dll</c> (exit codes and stderr as a shell sees them).
/// </summary>
internal static class CliRunner
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    public static async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public static async Task<CliResult> RunWithInputAsync(string stdin, params string[] args)
    {
        using var input = new StringReader(stdin);
        await using var output = new StringWriter();
        await using var error = new StringWriter();

        var exitCode = await EtrapCli.RunAsync(args, new CliConsole(input, output, error), CancellationToken.None);

        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Starts the built program (copied beside the tests) with extra environment variables.</summary>
    public static async Task<CliResult> RunProgramAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "etrap.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    // The SDK tells the test host which dotnet runs it; outside `dotnet test` the one on PATH does.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
