using System.Diagnostics;
using System.Text.Json;
using ExecutionTrap.IntegrationTests.Support;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>One person at the test provider: the claims its ID token carries (Microsoft-shaped or Google-shaped).</summary>
internal sealed record TestAccount(
    string? Tid = null,
    string? Oid = null,
    string? Hd = null,
    string? Email = null,
    bool? EmailVerified = null,
    string? PreferredUsername = null,
    string? Name = null);

/// <summary>
/// A real OpenID provider — panva's oidc-provider, OpenID-certified — in a node process on loopback
/// (tests/oidc-provider/server.mjs), with the two clients the app uses and the given accounts.
/// </summary>
internal sealed class OidcTestProvider : IAsyncDisposable
{
    public const string MicrosoftClientId = "etrap-microsoft";
    public const string MicrosoftClientSecret = "etrap-microsoft-secret-0123456789abcdef";
    public const string GoogleClientId = "etrap-google";
    public const string GoogleClientSecret = "etrap-google-secret-0123456789abcdef";

    private readonly Process _process;
    private readonly string _settingsFile;

    private OidcTestProvider(Process process, string settingsFile, string issuer)
    {
        _process = process;
        _settingsFile = settingsFile;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer and authority, e.g. http://127.0.0.1:41234.</summary>
    public string Issuer { get; }

    public static async Task<OidcTestProvider> StartAsync(IReadOnlyDictionary<string, TestAccount> accounts)
    {
        var folder = RepoPaths.InRepo("tests", "oidc-provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
        {
            throw new InvalidOperationException(
                $"The test OpenID provider is not installed: run `npm ci --prefix {folder}` (.ci/run does) — node 20.19 or later is needed.");
        }

        var settingsFile = Path.Combine(Path.GetTempPath(), $"etrap-oidc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new
        {
            clients = new object[]
            {
                new { client_id = MicrosoftClientId, client_secret = MicrosoftClientSecret, redirect_uris = new[] { "https://localhost/signin-microsoft" } },
                new { client_id = GoogleClientId, client_secret = GoogleClientSecret, redirect_uris = new[] { "https://localhost/signin-google" } },
            },
            accounts = accounts.ToDictionary(a => a.Key, a => Claims(a.Value)),
        }));

        var start = new ProcessStartInfo("node", [Path.Combine(folder, "server.mjs"), settingsFile])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("listening ", StringComparison.Ordinal))
                {
                    return new OidcTestProvider(process, settingsFile, line["listening ".Length..].Trim());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill();
        throw new InvalidOperationException($"The test OpenID provider did not start (exit code {(process.HasExited ? process.ExitCode : -1)}).");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_settingsFile);
    }

    private static Dictionary<string, object> Claims(TestAccount account)
    {
        var claims = new Dictionary<string, object>();
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                claims[name] = value;
            }
        }

        Add("tid", account.Tid);
        Add("oid", account.Oid);
        Add("hd", account.Hd);
        Add("email", account.Email);
        Add("email_verified", account.EmailVerified);
        Add("preferred_username", account.PreferredUsername);
        Add("name", account.Name);
        return claims;
    }
}
