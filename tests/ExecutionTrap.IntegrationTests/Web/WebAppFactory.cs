extern alias web;

using System.Net;
using System.Text.RegularExpressions;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Web;

/// <summary>Hangfire keeps one global storage, so the web hosts of this project never run side by side.</summary>
[CollectionDefinition(Name)]
public sealed class WebAppGroup
{
    public const string Name = "web app";
}

/// <summary>The real composition root in Development, on SQLite in a temp folder, mail to a temp pickup folder.</summary>
internal sealed partial class WebAppFactory : WebApplicationFactory<web::Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"etrap-web-{Guid.NewGuid():N}");
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings;

    public WebAppFactory(string environment = "Development", Dictionary<string, string?>? settings = null)
    {
        _environment = environment;
        _settings = settings ?? [];
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Storage:DataFolder", Path.Combine(_folder, "data"));
        builder.UseSetting("Reports:PickupFolder", Path.Combine(_folder, "mail"));
        if (_environment != "Development")
        {
            builder.UseSetting(TestKeyRingCertificate.Setting, TestKeyRingCertificate.Base64Pfx);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that keeps cookies (sent only over https, as the cookies are Secure) and shows redirects.</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    });

    /// <summary>Signs in through the development form, as a real browser would, and returns the signed-in client.</summary>
    /// <remarks>
    /// The client then sends the anti-forgery token in the <c>RequestVerificationToken</c> header on every request, as our
    /// pages would, so its API calls pass the state-change guard; <see cref="WithoutAntiforgery"/> takes it off again.
    /// </remarks>
    public async Task<HttpClient> SignInAsync(string email, bool admin = false, string? name = null, bool @operator = false)
    {
        var client = Browser();
        var form = await client.GetStringAsync("/dev/sign-in");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Email"] = email,
            ["Name"] = name ?? email.Split('@')[0],
        };
        if (admin)
        {
            fields["Admin"] = "true";
        }

        if (@operator)
        {
            fields["Operator"] = "true";
        }

        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync("/dev/sign-in", content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await Support.DevSignIn.SendAntiforgeryTokenAsync(client);
        return client;
    }

    /// <summary>The same signed-in client without the anti-forgery header: what a cross-site form or script would send.</summary>
    public static HttpClient WithoutAntiforgery(HttpClient client)
    {
        client.DefaultRequestHeaders.Remove(Support.DevSignIn.AntiforgeryHeader);
        return client;
    }

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The page has no anti-forgery token.");

    /// <summary>Posts a page form with the page's own anti-forgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        fields["__RequestVerificationToken"] = AntiforgeryToken(html);
        using var content = new FormUrlEncodedContent(fields);
        var separator = page.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return await client.PostAsync(handler.Length == 0 ? page : $"{page}{separator}handler={handler}", content);
    }

    public async Task WithDbAsync(Func<ExecutionTrapDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
