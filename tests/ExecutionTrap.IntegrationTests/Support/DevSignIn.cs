using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ExecutionTrap.IntegrationTests.Support;

/// <summary>Signs in through the development sign-in form, as a browser would, for tests of any host in Development.</summary>
internal static partial class DevSignIn
{
    public static async Task<HttpClient> SignInAsync<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory, string email, bool admin = false, bool @operator = false)
        where TEntryPoint : class
    {
        // Cookies are Secure, so the client speaks https to the in-memory server.
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        });
        var form = await client.GetStringAsync("/dev/sign-in");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(form).Groups[1].Value),
            ["Email"] = email,
            ["Name"] = email.Split('@')[0],
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
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The development sign-in answered {(int)response.StatusCode}.");
        }

        await SendAntiforgeryTokenAsync(client);
        return client;
    }

    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>
    /// Reads the signed-in user's anti-forgery token from a page (the layout's sign-out form) and sends it as a header
    /// on every later request, as our pages would: the API refuses a cookie-authenticated change without it.
    /// </summary>
    public static async Task SendAntiforgeryTokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/settings");
        var match = TokenPattern().Match(page);
        if (!match.Success)
        {
            throw new InvalidOperationException("The signed-in page has no anti-forgery token.");
        }

        client.DefaultRequestHeaders.Remove(AntiforgeryHeader);
        client.DefaultRequestHeaders.Add(AntiforgeryHeader, WebUtility.HtmlDecode(match.Groups[1].Value));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
