using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.IntegrationTests.Web;

/// <summary>The newcomer's path: development sign-in as admin, the sample calendar in one click, a scored week, a correction, a role.</summary>
[Collection(WebAppGroup.Name)]
public sealed class FirstRunTests
{
    [Fact]
    public async Task SampleCalendar_GivesAScoredWeek_AndACorrectionChangesTheScore()
    {
        await using var app = new WebAppFactory();
        var admin = await app.SignInAsync("newcomer@trial.example", admin: true);

        using var added = await WebAppFactory.PostFormAsync(admin, "/connections", "Sample", []);
        var week = await WaitForScoredWeekAsync(admin, "2026-W46");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var before = week.GetProperty("score").GetDouble();
        var meeting = week.GetProperty("meetings").EnumerateArray()
            .First(m => m.GetProperty("minutes").GetInt32() > 0 && m.GetProperty("category").GetString() is "execution" or "escalation" or "firefighting");
        using var corrected = await WebAppFactory.PostFormAsync(admin, "/week?week=2026-W46", "Correct", new()
        {
            ["meetingId"] = meeting.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["category"] = "strategy",
            ["week"] = "2026-W46",
        });
        var after = (await admin.GetFromJsonAsync<JsonElement>("/api/weeks/2026-W46")).GetProperty("score").GetDouble();
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        Assert.True(after < before, $"moving an execution-side meeting to strategy lowers the score ({before} → {after})");
        var page = await admin.GetStringAsync("/week?week=2026-W46");
        Assert.Contains("your correction", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyReportCorrectionLink_OpensTheWeekPage_ForItsRecipient() // the e-mail's button was a 404
    {
        await using var app = new WebAppFactory(settings: new() { ["Reports:PublicBaseUrl"] = "https://localhost" });
        var leader = await app.SignInAsync("reader@links.example");
        using var _ = await WebAppFactory.PostFormAsync(leader, "/connections", "Sample", []);
        await WaitForScoredWeekAsync(leader, "2026-W46");
        var leaderId = (await leader.GetFromJsonAsync<JsonElement>("/api/me/")).GetProperty("id").GetGuid();

        var report = await leader.GetStringAsync($"/api/leaders/{leaderId}/weeks/2026-W46/report");
        var link = System.Text.RegularExpressions.Regex.Match(report, "href=\"https://localhost(/week[^\"]*)\"").Groups[1].Value;
        using var opened = await leader.GetAsync(WebUtility.HtmlDecode(link));

        Assert.StartsWith("/week", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("2026-W46", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_CreatesARoleWithATarget_AndAssignsIt()
    {
        await using var app = new WebAppFactory();
        var admin = await app.SignInAsync("ada@roles.example", admin: true);
        await app.SignInAsync("lee@roles.example");

        using var created = await WebAppFactory.PostFormAsync(admin, "/admin/roles", "Create", new() { ["Name"] = "Director", ["Target"] = "35", ["CategoryBounds"] = "strategy:20-40" });
        Guid roleId = default, leaderId = default;
        await app.WithDbAsync(async db =>
        {
            roleId = (await db.Roles.SingleAsync(r => r.Name == "Director")).Id;
            leaderId = (await db.Leaders.SingleAsync(l => l.Email == "lee@roles.example")).Id;
        });
        using var assigned = await WebAppFactory.PostFormAsync(admin, "/admin/people", "Assign", new() { ["leaderId"] = leaderId.ToString(), ["roleId"] = roleId.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        await app.WithDbAsync(async db =>
        {
            var role = await db.Roles.SingleAsync(r => r.Id == roleId);
            Assert.Equal(35, role.TargetExecutionScore);
            Assert.Equal("strategy:20-40", role.CategoryBounds);
            Assert.Equal(roleId, (await db.Leaders.SingleAsync(l => l.Id == leaderId)).RoleId);
        });
    }

    [Theory]
    [InlineData("", "35", "A role needs a name.")]
    [InlineData("Director", "120", "The target execution score is a number from 0 to 100.")]
    [InlineData("Director", "35", "is not a category bound")] // bounds written as prose, not category:min-max
    public async Task CreateRole_ShowsAClearMessage_WhenInputIsInvalid(string name, string target, string message)
    {
        await using var app = new WebAppFactory();
        var admin = await app.SignInAsync("ada@invalid.example", admin: true);

        using var response = await WebAppFactory.PostFormAsync(admin, "/admin/roles", "Create", new()
        {
            ["Name"] = name,
            ["Target"] = target,
            ["CategoryBounds"] = message.StartsWith("is not", StringComparison.Ordinal) ? "lots of strategy" : "",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(message), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiToken_AuthenticatesScripts_AndIsStoredOnlyAsAHash()
    {
        await using var app = new WebAppFactory();
        var leader = await app.SignInAsync("script@tokens.example");
        using var created = await leader.PostAsJsonAsync("/api/me/tokens", new { name = "nightly export" });
        var token = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var script = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false });
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var me = await script.GetFromJsonAsync<JsonElement>("/api/me/");
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token + "x");
        using var wrong = await script.GetAsync("/api/me/");

        Assert.Equal("script@tokens.example", me.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        await app.WithDbAsync(async db =>
        {
            var stored = await db.ApiTokens.SingleAsync();
            Assert.NotEqual(token, stored.Hash);
            Assert.DoesNotContain(token, stored.Hash + stored.Prefix + stored.Name, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task MyData_ExportsEverything_AndDeleteRemovesTheLeader()
    {
        await using var app = new WebAppFactory();
        var leader = await app.SignInAsync("gone@data.example");
        using var _ = await leader.PostAsync("/api/connections/sample", null);

        using var export = await WebAppFactory.PostFormAsync(leader, "/my-data", "Export", []);
        var json = await export.Content.ReadFromJsonAsync<JsonElement>();
        using var deleted = await WebAppFactory.PostFormAsync(leader, "/my-data", "Delete", new() { ["confirm"] = "true" });
        using var afterwards = await leader.GetAsync("/api/me/");

        Assert.Equal("gone@data.example", json.GetProperty("leader").GetProperty("email").GetString());
        Assert.Equal(1, json.GetProperty("connections").GetArrayLength());
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        await app.WithDbAsync(async db =>
        {
            Assert.False(await db.Leaders.AnyAsync(l => l.Email == "gone@data.example"));
            Assert.False(await db.Connections.AnyAsync());
        });
    }

    private static async Task<JsonElement> WaitForScoredWeekAsync(HttpClient client, string week)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/weeks/{week}");
            if (page.GetProperty("score").ValueKind == JsonValueKind.Number)
            {
                return page;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"Week {week} was not scored within a minute of adding the sample calendar.");
    }
}
