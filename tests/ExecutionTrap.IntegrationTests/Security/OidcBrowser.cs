using System.Net;
using System.Text.RegularExpressions;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>The form the provider posts back to the app (response_mode=form_post): the callback.</summary>
internal sealed record CallbackForm(Uri Action, IReadOnlyList<KeyValuePair<string, string>> Fields);

/// <summary>
/// What a browser does in an OpenID Connect sign-in, and no more: follows redirects between the app (in memory,
/// https://localhost) and the provider (real, on loopback), keeps each side's cookies, fills the provider's login
/// form with an account id, and hands back the form the provider would auto-post to the app's callback.
/// </summary>
internal sealed partial class OidcBrowser(HttpMessageHandler app) : IDisposable
{
    public static readonly Uri AppBase = new("https://localhost/");

    private readonly HttpClient _app = new(app) { BaseAddress = AppBase };
    private readonly HttpClient _provider = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    public CookieContainer Cookies { get; private set; } = new();

    /// <summary>Opens <paramref name="path"/> on the app (a sign-in link), logs in at the provider as <paramref name="account"/>, returns the callback.</summary>
    public async Task<CallbackForm> AuthorizeAsync(string path, string account)
    {
        var uri = new Uri(AppBase, path);
        var response = await SendAsync(HttpMethod.Get, uri);
        for (var hop = 0; hop < 20; hop++)
        {
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.TemporaryRedirect)
            {
                uri = new Uri(uri, response.Headers.Location!);
                response.Dispose();
                response = await SendAsync(HttpMethod.Get, uri);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            var status = response.StatusCode;
            response.Dispose();
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{uri} answered {(int)status}: {html}");
            }

            if (html.Contains("id=\"login\"", StringComparison.Ordinal))
            {
                uri = new Uri(uri, FormAction().Match(html).Groups[1].Value);
                response = await SendAsync(HttpMethod.Post, uri, new FormUrlEncodedContent([new("account", account)]));
                continue;
            }

            if (FormAction().Match(html) is { Success: true } form)
            {
                var fields = HiddenInput().Matches(html)
                    .Select(m => KeyValuePair.Create(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)))
                    .ToList();
                return new CallbackForm(new Uri(uri, WebUtility.HtmlDecode(form.Groups[1].Value)), fields);
            }

            throw new InvalidOperationException($"{uri} answered a page this browser does not know: {html}");
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    /// <summary>Posts the callback as the provider's page would, with this browser's cookies or the given ones.</summary>
    public Task<HttpResponseMessage> PostCallbackAsync(CallbackForm callback, CookieContainer? cookies = null) =>
        SendAsync(HttpMethod.Post, callback.Action, new FormUrlEncodedContent(callback.Fields), cookies);

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, new Uri(AppBase, path));

    /// <summary>A copy of the cookie jar as it is now (a replay needs the cookies of the moment).</summary>
    public CookieContainer CopyCookies(Func<Cookie, bool>? keep = null)
    {
        var copy = new CookieContainer();
        foreach (var cookie in Cookies.GetAllCookies().Where(c => !c.Expired && (keep is null || keep(c))))
        {
            copy.Add(new Cookie(cookie.Name, cookie.Value, cookie.Path, cookie.Domain) { Secure = cookie.Secure, HttpOnly = cookie.HttpOnly });
        }

        return copy;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content = null, CookieContainer? cookies = null)
    {
        cookies ??= Cookies;
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        var header = cookies.GetCookieHeader(uri);
        if (header.Length > 0)
        {
            request.Headers.Add("Cookie", header);
        }

        var response = await (uri.Host == AppBase.Host ? _app : _provider).SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                cookies.SetCookies(uri, setCookie);
            }
        }

        return response;
    }

    /// <summary>Whether the app answered with its own sign-in cookie (not merely the anti-forgery or OIDC ones).</summary>
    public static bool SetsSignInCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
        && values.Any(v => v.StartsWith("ExecutionTrap=", StringComparison.Ordinal) && !v.StartsWith("ExecutionTrap=;", StringComparison.Ordinal));

    public void Dispose()
    {
        _app.Dispose();
        _provider.Dispose();
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
