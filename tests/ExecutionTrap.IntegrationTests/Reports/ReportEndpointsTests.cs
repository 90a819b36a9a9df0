using System.Net;
using System.Net.Http.Json;
using ExecutionTrap.IntegrationTests.Jobs;
using ExecutionTrap.Reports.Email;

using ExecutionTrap.IntegrationTests.Support;

namespace ExecutionTrap.IntegrationTests.Reports;

/// <summary>The unsubscribe link, the report preview and the schedule, through the real web host on SQLite.</summary>
[Collection(ReportJobsGroup.Name)]
public sealed class ReportEndpointsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"etrap-report-endpoints-{Guid.NewGuid():N}");
    private ReportAppFactory _app = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        // Nothing is mailed here; the port only has to be valid.
        _app = new ReportAppFactory(ReportAppFactory.Sqlite(_folder, smtpPort: 2525));
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetUnsubscribe_ShowsAConfirmationButton_AndLeavesTheReportsOn()
    {
        var leaderId = await _app.SeedLeaderAsync();

        var response = await _client.GetAsync(UnsubscribeUrl(leaderId));
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form method=\"post\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"List-Unsubscribe\" value=\"One-Click\"", page, StringComparison.Ordinal);
        Assert.True((await _app.LeaderAsync(leaderId)).ReportsEnabled);
    }

    [Fact]
    public async Task PostUnsubscribe_TurnsTheReportsOff_WithTheRfc8058OneClickBodyAndNoCookieOrToken()
    {
        var leaderId = await _app.SeedLeaderAsync();
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);

        var response = await _client.PostAsync(UnsubscribeUrl(leaderId), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await _app.LeaderAsync(leaderId)).ReportsEnabled);
    }

    [Fact]
    public async Task PostUnsubscribe_TurnsTheReportsOff_WhenTheClientSendsNoBody()
    {
        // Some inboxes post without the form body; the signed token alone is the proof.
        var leaderId = await _app.SeedLeaderAsync();

        var response = await _client.PostAsync(UnsubscribeUrl(leaderId), null);
        var again = await _client.PostAsync(UnsubscribeUrl(leaderId), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await _app.LeaderAsync(leaderId)).ReportsEnabled);
    }

    [Theory]
    [InlineData("tampered-signature")]
    [InlineData("other-leader")]
    [InlineData("missing")]
    public async Task Unsubscribe_Answers400AndChangesNothing_WhenTheTokenIsNotOneWeSigned(string kind)
    {
        var leaderId = await _app.SeedLeaderAsync();
        var token = UnsubscribeTokens.Create(leaderId, ReportsTestHost.Key);
        var url = kind switch
        {
            // One character inside the signature changed (not the last, whose low bits are padding): the id is right, the HMAC is not.
            "tampered-signature" => $"/unsubscribe?token={Uri.EscapeDataString(Tamper(token, token.IndexOf('.', StringComparison.Ordinal) + 5))}",
            // Another leader's id with this leader's signature.
            "other-leader" => $"/unsubscribe?token={Uri.EscapeDataString(UnsubscribeTokens.Create(Guid.NewGuid(), ReportsTestHost.Key).Split('.')[0] + "." + token.Split('.')[1])}",
            _ => "/unsubscribe",
        };
        using var body = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);

        var get = await _client.GetAsync(url);
        var post = await _client.PostAsync(url, body);

        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.True((await _app.LeaderAsync(leaderId)).ReportsEnabled);
    }

    [Fact]
    public async Task GetReportPreview_ReturnsTheEmailHtml_WithTheChartEmbeddedAndTitlesEncoded()
    {
        var leaderId = await _app.SeedLeaderAsync();
        using var client = await DevSignIn.SignInAsync(_app, (await _app.LeaderAsync(leaderId)).Email);

        var response = await client.GetAsync($"/api/leaders/{leaderId}/weeks/2026-W47/report");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Execution score 67 (target 40) — week 47</title>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html, StringComparison.Ordinal);
        Assert.DoesNotContain("cid:", html, StringComparison.Ordinal);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetReportPreview_Answers400And404_ForABadWeekOrAnUnknownLeader()
    {
        using var client = await DevSignIn.SignInAsync(_app, "someone@example.org");

        var badWeek = await client.GetAsync($"/api/leaders/{Guid.NewGuid()}/weeks/2026-47/report");
        var unknown = await client.GetAsync($"/api/leaders/{Guid.NewGuid()}/weeks/2026-W47/report");

        Assert.Equal(HttpStatusCode.BadRequest, badWeek.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PutReportSchedule_ChangesDayHourAndSwitches_AndRefusesAnHourOutOfRange()
    {
        var leaderId = await _app.SeedLeaderAsync();
        using var client = await DevSignIn.SignInAsync(_app, (await _app.LeaderAsync(leaderId)).Email);

        var changed = await client.PutAsJsonAsync($"/api/leaders/{leaderId}/report-schedule", new { day = "friday", hour = 16, enabled = false, quietWeekNote = false });
        var badHour = await client.PutAsJsonAsync($"/api/leaders/{leaderId}/report-schedule", new { hour = 24 });
        var badDay = await client.PutAsJsonAsync($"/api/leaders/{leaderId}/report-schedule", new { day = "3" });

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badHour.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
        var leader = await _app.LeaderAsync(leaderId);
        Assert.Equal((NodaTime.IsoDayOfWeek.Friday, 16, false, false), (leader.ReportDay, leader.ReportHour, leader.ReportsEnabled, leader.SendQuietWeekNote));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Tamper(string token, int index)
    {
        var chars = token.ToCharArray();
        chars[index] = chars[index] == 'A' ? 'B' : 'A';
        return new string(chars);
    }

    private static string UnsubscribeUrl(Guid leaderId) => $"/unsubscribe?token={Uri.EscapeDataString(UnsubscribeTokens.Create(leaderId, ReportsTestHost.Key))}";
}
