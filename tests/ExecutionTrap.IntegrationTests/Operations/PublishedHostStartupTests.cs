using System.Diagnostics;
using System.Text.RegularExpressions;
using ExecutionTrap.IntegrationTests.Support;

namespace ExecutionTrap.IntegrationTests.Operations;

/// <summary>The built host started as an operator starts it: <c>dotnet ExecutionTrap.Web.dll</c> in Production.</summary>
public sealed partial class PublishedHostStartupTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Host_ExitsWithOneLineNamingTheSetting_WhenAProductionSecretIsMissing() // it used to abort with a stack trace and a core dump
    {
        using var host = StartHost(withSecrets: false);
        using var timeout = new CancellationTokenSource(StartTimeout);
        var error = host.StandardError.ReadToEndAsync(timeout.Token);

        await host.WaitForExitAsync(timeout.Token);

        var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(1, host.ExitCode);
        Assert.Single(lines);
        Assert.Contains("Reports:UnsubscribeKey", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_Starts_WhenItsProductionSecretsAreSet()
    {
        using var host = StartHost(withSecrets: true);
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var address = await ListeningAddressAsync(host, timeout.Token);
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            using var live = await client.GetAsync("/healthz/live", timeout.Token);

            Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        }
        finally
        {
            host.Kill(entireProcessTree: true);
        }
    }

    private static Process StartHost(bool withSecrets)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"etrap-published-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExecutionTrap.Web.dll"));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Storage__DataFolder"] = Path.Combine(folder, "data");
        start.Environment["Reports__PickupFolder"] = Path.Combine(folder, "mail");
        if (withSecrets)
        {
            start.Environment["Reports__UnsubscribeKey"] = "a-production-unsubscribe-key-of-32-characters-or-more";
            start.Environment[TestKeyRingCertificate.Setting.Replace(":", "__", StringComparison.Ordinal)] = TestKeyRingCertificate.Base64Pfx;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static async Task<string> ListeningAddressAsync(Process host, CancellationToken cancellationToken)
    {
        while (await host.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (ListeningPattern().Match(line) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"The host exited ({host.ExitCode}) before listening: {await host.StandardError.ReadToEndAsync(cancellationToken)}");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();
}
