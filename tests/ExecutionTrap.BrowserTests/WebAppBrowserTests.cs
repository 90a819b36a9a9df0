using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ExecutionTrap.BrowserTests;

/// <summary>The web app in headless chromium, as a newcomer and as a leader who is not an admin.</summary>
public sealed partial class WebAppBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task Newcomer_SignsInConnectsTheSampleCorrectsACategoryAndAdministersRoles()
    {
        await using var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseUrl });
        var page = await context.NewPageAsync();
        var policyViolations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                policyViolations.Add($"{page.Url}: {message.Text}");
            }
        };

        await page.GotoAsync("/");
        await ShotAsync(page, "sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Development sign-in" }).ClickAsync();
        await page.GetByLabel("Work e-mail").FillAsync("newcomer@browser.example");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nia Newcomer");
        await page.GetByLabel("Administrator of my organisation").CheckAsync();
        await ShotAsync(page, "dev-sign-in");
        await SubmitSignInAsync(page);

        await page.GotoAsync("/connections");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the sample calendar (a leader's November 2026)" }).ClickAsync();
        await page.Locator("p.notice", new() { HasText = "Sample calendar added" }).WaitForAsync();
        var before = await WaitForScoreAsync(page, "2026-W46");
        await page.GotoAsync("/connections");
        await ShotAsync(page, "connections");
        await page.GotoAsync("/week?week=2026-W46");
        await ShotAsync(page, "week");

        // The first meeting still classified on the execution side becomes strategy; the select submits itself.
        var select = page.Locator("select[data-autosubmit]").Filter(new() { Has = page.Locator("option[value=firefighting]") });
        var count = await select.CountAsync();
        ILocator? chosen = null;
        for (var i = 0; i < count && chosen is null; i++)
        {
            var value = await select.Nth(i).InputValueAsync();
            if (value is "execution" or "escalation" or "firefighting")
            {
                chosen = select.Nth(i);
            }
        }

        Assert.NotNull(chosen);
        await chosen.SelectOptionAsync("strategy");
        await page.Locator("p.notice", new() { HasText = "Category saved" }).WaitForAsync();
        var after = await ReadScoreAsync(page);
        Assert.True(after < before, $"the score falls when an execution-side meeting becomes strategy ({before} → {after})");

        foreach (var (path, name) in new[] { ("/settings", "settings"), ("/my-data", "my-data"), ("/tokens", "tokens") })
        {
            await page.GotoAsync(path);
            await ShotAsync(page, name);
        }

        await page.GotoAsync("/admin/roles");
        await page.GetByLabel("Name").Last.FillAsync("Director");
        await page.GetByLabel("Target execution score").Last.FillAsync("35");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create role" }).ClickAsync();
        await page.Locator("p.notice", new() { HasText = "created" }).WaitForAsync();
        Assert.Contains("Role 'Director' created.", await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "admin-roles");

        await page.GotoAsync("/admin/people");
        await page.GetByLabel("Role of Nia Newcomer").SelectOptionAsync(new SelectOptionValue { Label = "Director" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await page.Locator("p.notice", new() { HasText = "Role assigned" }).WaitForAsync();
        Assert.Contains("now: Director", await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "admin-people");

        await page.GotoAsync("/admin/organisation");
        await ShotAsync(page, "admin-organisation");
        await page.GotoAsync("/admin/jobs");
        Assert.Contains("Sync health", await page.TitleAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "admin-jobs");

        // Every organisation's jobs are on the dashboard: an organisation's admin is not the service's operator.
        await page.GotoAsync("/hangfire");
        Assert.Contains("/access-denied", page.Url, StringComparison.Ordinal);

        Assert.True(policyViolations.Count == 0, string.Join('\n', policyViolations));
    }

    [Fact]
    public async Task Leader_IsTurnedAwayFromAdminPages()
    {
        await using var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dev/sign-in");
        await page.GetByLabel("Work e-mail").FillAsync("lee@leader.example");
        await SubmitSignInAsync(page);

        foreach (var path in new[] { "/admin/roles", "/admin/people", "/admin/organisation", "/hangfire" })
        {
            await page.GotoAsync(path);
            Assert.Contains("/access-denied", page.Url, StringComparison.Ordinal);
        }

        await ShotAsync(page, "access-denied");
        Assert.DoesNotContain("Roles", await page.Locator("nav").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_FitAPhoneScreen()
    {
        await using var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl,
            ViewportSize = new ViewportSize { Width = 375, Height = 740 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dev/sign-in");
        await page.GetByLabel("Work e-mail").FillAsync("phone@leader.example");
        await SubmitSignInAsync(page);

        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");

        await ShotAsync(page, "week-phone");
        Assert.False(overflow, "the week page scrolls sideways on a 375px-wide phone");
    }

    private static async Task SubmitSignInAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/week", new() { Timeout = 15000 });
        }
        catch (TimeoutException e)
        {
            await ShotAsync(page, "failed-sign-in");
            throw new TimeoutException($"Signing in did not reach /week; the browser is at {page.Url}.", e);
        }
    }

    private static async Task<double> WaitForScoreAsync(IPage page, string week)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await page.GotoAsync($"/week?week={week}");
            if (await TryReadScoreAsync(page) is { } score)
            {
                return score;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"Week {week} had no score a minute after the sample calendar was added.");
    }

    private static async Task<double> ReadScoreAsync(IPage page) =>
        await TryReadScoreAsync(page) ?? throw new InvalidOperationException("The week page shows no score.");

    private static async Task<double?> TryReadScoreAsync(IPage page)
    {
        var text = await page.Locator("[data-testid=score]").InnerTextAsync();
        return ScorePattern().Match(text) is { Success: true } match ? double.Parse(match.Value, CultureInfo.InvariantCulture) : null;
    }

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserHost.ScreenshotFolder, $"{name}.png"), FullPage = true });

    [GeneratedRegex(@"^\d+(\.\d+)?$")]
    private static partial Regex ScorePattern();
}
