using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Web;

[Collection(WebAppGroup.Name)]
public sealed class WebSecurityTests
{
    private const string UnsubscribeKey = "a-test-unsubscribe-key-of-at-least-32-characters";

    [Theory]
    [InlineData("//evil.example/steal")] // protocol-relative: another host to a browser
    [InlineData("/\\evil.example")] // browsers read a backslash as a slash
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task DevelopmentSignIn_RedirectsHome_WhenReturnUrlLeavesTheSite(string returnUrl)
    {
        await using var app = new WebAppFactory();
        var client = app.Browser();
        var form = await client.GetStringAsync("/dev/sign-in");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebAppFactory.AntiforgeryToken(form),
            ["Email"] = "lee@redirect.example",
            ["ReturnUrl"] = returnUrl,
        });

        using var response = await client.PostAsync("/dev/sign-in", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/week", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task DevelopmentSignIn_KeepsALocalReturnUrl()
    {
        await using var app = new WebAppFactory();
        var client = app.Browser();
        var form = await client.GetStringAsync("/dev/sign-in");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebAppFactory.AntiforgeryToken(form),
            ["Email"] = "lee@redirect.example",
            ["ReturnUrl"] = "/settings",
        });

        using var response = await client.PostAsync("/dev/sign-in", content);

        Assert.Equal("/settings", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task PageForm_IsRefused_WithoutItsAntiforgeryToken()
    {
        await using var app = new WebAppFactory();
        var leader = WebAppFactory.WithoutAntiforgery(await app.SignInAsync("lee@csrf.example", admin: true));
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "Forged", ["Target"] = "10" });

        using var response = await leader.PostAsync("/admin/roles?handler=Create", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task EveryPageForm_CarriesAnAntiforgeryToken()
    {
        await using var app = new WebAppFactory();
        var admin = await app.SignInAsync("ada@forms.example", admin: true);

        foreach (var page in new[] { "/week?week=2026-W47", "/connections", "/settings", "/my-data", "/tokens", "/admin/roles", "/admin/people", "/dev/sign-in" })
        {
            var html = await admin.GetStringAsync(page);
            var forms = html.Split("<form", StringSplitOptions.None).Skip(1).Where(f => f.Contains("method=\"post\"", StringComparison.Ordinal)).ToList();
            Assert.All(forms, f => Assert.Contains("__RequestVerificationToken", f[..f.IndexOf("</form>", StringComparison.Ordinal)], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SignInCookie_IsSecureHttpOnlyAndLax()
    {
        await using var app = new WebAppFactory();
        var client = app.Browser();
        var form = await client.GetStringAsync("/dev/sign-in");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebAppFactory.AntiforgeryToken(form),
            ["Email"] = "lee@cookies.example",
        });

        using var response = await client.PostAsync("/dev/sign-in", content);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ExecutionTrap=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/week")]
    public async Task Pages_SendAContentSecurityPolicy_WithoutInlineScript(string path)
    {
        await using var app = new WebAppFactory();
        var client = await app.SignInAsync("lee@csp.example");

        using var response = await client.GetAsync(path);

        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline';", policy.Split("style-src")[0], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Leader_CannotOpenAdminPagesOrTheJobsDashboard()
    {
        await using var app = new WebAppFactory();
        var leader = await app.SignInAsync("lee@notadmin.example");

        foreach (var path in new[] { "/admin/roles", "/admin/people", "/admin/organisation", "/hangfire" })
        {
            using var response = await leader.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("https://localhost/access-denied", response.Headers.Location?.AbsoluteUri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Operator_OpensTheJobsDashboard()
    {
        await using var app = new WebAppFactory();
        var ops = await app.SignInAsync("ada@jobs.example", @operator: true);

        using var response = await ops.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hangfire", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_RefusesToStart_WhenDevelopmentSignInIsOnOutsideDevelopment()
    {
        await using var app = new WebAppFactory("Production", new() { ["Auth:DevelopmentSignIn"] = "true", ["Reports:UnsubscribeKey"] = UnsubscribeKey });

        var error = Assert.ThrowsAny<Exception>(() => app.Browser());

        Assert.Contains("Auth:DevelopmentSignIn", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentSignIn_DoesNotExist_OutsideDevelopment()
    {
        await using var app = new WebAppFactory("Production", new() { ["Reports:UnsubscribeKey"] = UnsubscribeKey });
        var client = app.Browser();

        using var response = await client.GetAsync("/dev/sign-in");

        // Unrouted, so the fallback policy sends the visitor to the real sign-in page instead.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText ?? "");
        Assert.DoesNotContain(routes, r => r.Contains("sign-in", StringComparison.OrdinalIgnoreCase) && r.Contains("dev", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(routes, r => r.Equals("Dev/SignIn", StringComparison.OrdinalIgnoreCase));
    }
}
