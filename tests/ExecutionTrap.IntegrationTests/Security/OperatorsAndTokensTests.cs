using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ExecutionTrap.IntegrationTests.Jobs;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Web;
using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Weeks;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Operators, admins and scripts: the jobs dashboard only for the service's operators, API tokens only for what their
/// scope allows and only until they expire, anti-forgery on every change a browser session makes, health details
/// only for operators, and a report claim that a slow worker cannot use after losing it. Real host, real databases.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class OperatorsAndTokensTests(PostgresServer postgres)
{
    public static TheoryData<string> Databases => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task JobsDashboard_IsRefusedAndItsJobsKept_ForEveryoneButAnOperator(string database)
    {
        await using var app = await StartAsync(database);
        var leader = await app.SignInAsync("lee@org-a.example");
        var admin = await app.SignInAsync("ada@org-a.example", admin: true);
        var otherAdmin = await app.SignInAsync("bob@org-b.example", admin: true);
        var operatorClient = await app.SignInAsync("ops@operators.example", @operator: true);
        var adminToken = ScriptWith(app, await CreateTokenAsync(admin, "write"));
        var jobId = app.Services.GetRequiredService<IBackgroundJobClient>()
            .Schedule<RetrainModelJob>(job => job.RunAsync(Guid.NewGuid(), CancellationToken.None), TimeSpan.FromDays(1));
        var refused = new (string Caller, HttpClient Client)[] { ("leader", leader), ("admin", admin), ("other organisation's admin", otherAdmin), ("admin's API token", adminToken) };
        var failures = new List<string>();

        foreach (var (caller, client) in refused)
        {
            foreach (var path in new[] { "/hangfire", "/hangfire/jobs/scheduled", $"/hangfire/jobs/details/{jobId}" })
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK || (await response.Content.ReadAsStringAsync()).Contains("RetrainModelJob", StringComparison.Ordinal))
                {
                    failures.Add($"{caller} GET {path}: {(int)response.StatusCode}");
                }
            }

            using var delete = await DeleteScheduledJobAsync(client, jobId);
            if (delete.IsSuccessStatusCode || StateOf(app, jobId) != ScheduledState.StateName)
            {
                failures.Add($"{caller} deleting job {jobId}: {(int)delete.StatusCode}, job now {StateOf(app, jobId)}");
            }
        }

        using var opened = await operatorClient.GetAsync("/hangfire/jobs/scheduled");
        using var deleted = await DeleteScheduledJobAsync(operatorClient, jobId);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("RetrainModelJob", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(deleted.IsSuccessStatusCode, $"operator delete: {(int)deleted.StatusCode}");
        Assert.Equal(DeletedState.StateName, StateOf(app, jobId));
    }

    private sealed record TokenCase(string Token, string Method, string Path, HttpStatusCode Expected, string? Body = null);

    // What a script may do with each kind of token. Pages, the dashboard and the token endpoints take only the
    // signed-in cookie, so a token there is no sign-in at all (a redirect to sign in, or 401 on the API).
    private static readonly TokenCase[] TokenCases =
    [
        new("read", "GET", "/api/me/", HttpStatusCode.OK),
        new("read", "GET", "/api/connections/", HttpStatusCode.OK),
        new("read", "PUT", "/api/me/settings", HttpStatusCode.Forbidden, "{settings}"),
        new("read", "POST", "/api/connections/sample", HttpStatusCode.Forbidden),
        new("read", "DELETE", "/api/me/", HttpStatusCode.Forbidden),
        new("write", "PUT", "/api/me/settings", HttpStatusCode.NoContent, "{settings}"),
        new("write", "POST", "/api/connections/sample", HttpStatusCode.Created),
        new("expired", "GET", "/api/me/", HttpStatusCode.Unauthorized),
        new("expired", "POST", "/api/connections/sample", HttpStatusCode.Unauthorized),
        new("write", "GET", "/settings", HttpStatusCode.Redirect),
        new("write", "GET", "/tokens", HttpStatusCode.Redirect),
        new("write", "GET", "/hangfire", HttpStatusCode.Redirect),
        new("write", "GET", "/api/me/tokens", HttpStatusCode.Unauthorized),
        new("write", "POST", "/api/me/tokens", HttpStatusCode.Unauthorized, """{"name":"successor","scope":"write"}"""),
    ];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task ApiTokens_AreRefused_WhenReadOnlyExpiredOrOutsideTheApi(string database)
    {
        await using var app = await StartAsync(database);
        var leader = await app.SignInAsync("script@tokens.example");
        var defaulted = await CreateTokenAsync(leader, scope: null);
        var tokens = new Dictionary<string, string>
        {
            ["read"] = defaulted.GetProperty("token").GetString()!,
            ["write"] = (await CreateTokenAsync(leader, "write")).GetProperty("token").GetString()!,
            ["expired"] = (await CreateTokenAsync(leader, "write", name: "old")).GetProperty("token").GetString()!,
        };
        await app.WithDbAsync(db => db.ApiTokens.Where(t => t.Name == "old")
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()) - Duration.FromMinutes(1))));
        var settings = await leader.GetStringAsync("/api/me/settings"); // saved back unchanged: a valid change
        var failures = new List<string>();

        foreach (var c in TokenCases)
        {
            using var script = ScriptWith(app, tokens[c.Token]);
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
            if (c.Body is not null)
            {
                request.Content = new StringContent(c.Body.Replace("{settings}", settings, StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
            }

            using var response = await script.SendAsync(request);
            if (response.StatusCode != c.Expected)
            {
                failures.Add($"{c.Token} token {c.Method} {c.Path}: {(int)response.StatusCode}, expected {(int)c.Expected}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal("read", defaulted.GetProperty("scope").GetString());
        var lifetime = defaulted.GetProperty("expiresAt").GetDateTimeOffset() - TimeProvider.System.GetUtcNow();
        Assert.InRange(lifetime.TotalDays, 89.9, 90.1);
        await app.WithDbAsync(async db => Assert.Equal(3, await db.ApiTokens.CountAsync()));
    }

    [Fact]
    public async Task EveryStateChangingEndpoint_IsRefused_ForASignedInBrowserWithoutTheAntiforgeryToken()
    {
        await using var app = new WebAppFactory();
        var leader = WebAppFactory.WithoutAntiforgery(await app.SignInAsync("lee@org-a.example"));
        var admin = WebAppFactory.WithoutAntiforgery(await app.SignInAsync("ada@org-a.example", admin: true));
        var operatorClient = WebAppFactory.WithoutAntiforgery(await app.SignInAsync("ops@org-a.example", @operator: true));
        var ids = await AuthorizationMatrixTests.SeedOrganisationAAsync(app);
        var changes = AuthorizationMatrixTests.Enumerate(app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>())
            .Where(e => !e.StartsWith("GET", StringComparison.Ordinal) && !e.StartsWith("PAGE", StringComparison.Ordinal))
            .ToList();
        var failures = new List<string>();

        Assert.Contains("POST /api/connections/sample", changes);
        Assert.Contains("POST /api/admin/models/retrain", changes);
        foreach (var endpoint in changes)
        {
            var rule = AuthorizationMatrixTests.Rules[endpoint];
            if (rule.Access == AuthorizationMatrixTests.Access.Anonymous)
            {
                continue; // no session to ride on: health probes, metrics, and the signed one-click unsubscribe
            }

            var client = rule.Access switch
            {
                AuthorizationMatrixTests.Access.Admin => admin,
                AuthorizationMatrixTests.Access.Operator => operatorClient,
                _ => leader,
            };
            var method = endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)];
            using var response = await AuthorizationMatrixTests.SendAsync(
                client, method, AuthorizationMatrixTests.Fill(rule.Path, ids), rule.Body is null ? null : AuthorizationMatrixTests.Fill(rule.Body, ids));
            if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Forbidden))
            {
                failures.Add($"{endpoint} without an anti-forgery token: {(int)response.StatusCode}, expected 400 or 403");
            }
        }

        await DevSignIn.SendAntiforgeryTokenAsync(leader);
        using var withToken = await leader.PostAsync("/api/connections/sample", null);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(HttpStatusCode.Created, withToken.StatusCode);
        await app.WithDbAsync(async db =>
        {
            Assert.True(await db.Leaders.AnyAsync(l => l.Email == "lee@org-a.example"));
            Assert.Equal(2, await db.Connections.CountAsync()); // organisation A's seeded one and the sample added with the token
            Assert.True(await db.ApiTokens.AnyAsync(t => t.Id == Guid.Parse(ids["tokenA"])));
        });
    }

    [Fact]
    public async Task HealthReady_GivesAnonymousCallersStatusOnly_AndOperatorsTheReason()
    {
        var closedPort = ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var app = new WebAppFactory(settings: new()
        {
            ["Reports:Smtp:Host"] = "127.0.0.1",
            ["Reports:Smtp:Port"] = closedPort,
            ["Reports:Smtp:StartTls"] = "None",
            ["Operations:SmtpCheckTimeoutSeconds"] = "2",
        });
        var operatorClient = await app.SignInAsync("ops@health.example", @operator: true);
        var admin = await app.SignInAsync("ada@health.example", admin: true);

        using var anonymous = await app.Browser().GetAsync("/healthz/ready");
        using var asAdmin = await admin.GetAsync("/healthz/ready");
        using var asOperator = await operatorClient.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymous.StatusCode);
        foreach (var response in new[] { anonymous, asAdmin })
        {
            var smtp = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("smtp");
            Assert.Equal("Unhealthy", smtp.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, smtp.GetProperty("description").ValueKind);
            Assert.DoesNotContain(closedPort, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var detailed = (await asOperator.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("smtp");
        Assert.Equal(JsonValueKind.String, detailed.GetProperty("description").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SendClaimed_SendsNothing_WhenASlowWorkerLostItsClaimToAnotherAfterTheTakeover(string database)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"etrap-fence-{Guid.NewGuid():N}");
        var settings = database == "PostgreSql"
            ? ReportAppFactory.Postgres(await postgres.CreateDatabaseAsync("etrap_fence"), smtpPort: 1, workers: 1)
            : ReportAppFactory.Sqlite(folder, smtpPort: 1);
        settings["Jobs:RunWorker"] = "false";
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 7, 0, 0, TimeSpan.Zero));
        var mailer = new CountingMailer();
        await using var app = new ReportAppFactory(settings, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IReportMailer>(mailer);
        });
        var leaderId = await app.SeedLeaderAsync();
        var week = ReportAppFactory.Week;

        // The first worker claims, then stalls (a slow build, a paused VM) past the 15-minute takeover.
        await using var slowScope = app.Scope();
        var slow = slowScope.ServiceProvider.GetRequiredService<SendWeeklyReportJob>();
        var context = await slowScope.ServiceProvider.GetRequiredService<LeaderWeeks>().LoadLeaderAsync(leaderId, CancellationToken.None);
        var claim = await slow.ClaimAsync(leaderId, week.ToString(), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(16));
        await using (var fastScope = app.Scope())
        {
            await fastScope.ServiceProvider.GetRequiredService<SendWeeklyReportJob>().RunAsync(leaderId, week.ToString(), CancellationToken.None);
        }

        await slow.SendClaimedAsync(context!, week, scores: null, claim!, CancellationToken.None);

        Assert.NotNull(claim);
        Assert.Equal(1, mailer.Sent);
        var delivery = await app.DeliveryAsync(leaderId, week);
        Assert.Equal(DeliveryStatus.Sent, delivery!.Status);
        Assert.Equal(2, delivery.Attempts);
        await using var scope = app.Scope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().ReportDeliveries.CountAsync());
    }

    [Fact]
    public async Task JobStorage_HoldsNoFeedAddress_AndOnlyIdsAsArguments_AfterAFailedIcsSync()
    {
        const string Secret = "feed-secret-4b9c2e71";
        await using var feed = await LocalHttpServer.StartAsync();
        var path = $"/calendars/{Secret}/basic.ics";
        // The first read works (the calendar is added), every later one fails as a broken feed would.
        feed.Map(path, CannedResponse.Text(200, OneEventCalendar, "text/calendar"), CannedResponse.Text(500, $"upstream failed for {Secret}"));
        await using var app = new WebAppFactory(settings: LocalFeeds.With());
        var leader = await app.SignInAsync("lee@feeds.example");
        using var added = await leader.PostAsJsonAsync("/api/connections/", new { address = feed.UrlFor(path).ToString() });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var connectionId = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await WaitForJobsAsync(app);
        using var sync = await leader.PostAsync($"/api/connections/{connectionId}/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);

        await WaitForJobsAsync(app);

        Assert.True(feed.CountFor(path) >= 2, "the failing read never happened");
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var ids = monitoring.SucceededJobs(0, 500).Select(j => j.Key)
            .Concat(monitoring.FailedJobs(0, 500).Select(j => j.Key))
            .Concat(monitoring.ScheduledJobs(0, 500).Select(j => j.Key))
            .Concat(monitoring.ProcessingJobs(0, 500).Select(j => j.Key))
            .Concat(monitoring.Queues().SelectMany(q => monitoring.EnqueuedJobs(q.Name, 0, 500).Select(j => j.Key)))
            .Distinct()
            .ToList();
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            var details = monitoring.JobDetails(id);
            var stored = string.Join('\n', (details.Job?.Args ?? []).Select(a => a?.ToString())
                .Concat(details.History.SelectMany(h => h.Data?.Values ?? [])).Concat(details.History.Select(h => h.Reason)));
            Assert.False(
                stored.Contains(Secret, StringComparison.Ordinal) || stored.Contains(feed.BaseAddress.Authority, StringComparison.Ordinal),
                $"job {details.Job?.Type.Name} ({string.Join(", ", details.History.Select(h => h.StateName))}) keeps the feed address: {stored}");
            Assert.All(details.Job?.Args ?? [], a => Assert.True(
                a is null or Guid or CancellationToken or int or long || (a is string text && (Guid.TryParse(text, out _) || Domain.Scoring.IsoWeek.TryParse(text, out _))),
                $"job {details.Job?.Type.Name} has an argument that is not an id: {a}"));
        }
    }

    private const string OneEventCalendar = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//ExecutionTrap tests//EN
        BEGIN:VEVENT
        UID:one@feeds.example
        DTSTAMP:20261101T000000Z
        DTSTART:20261102T090000Z
        DTEND:20261102T100000Z
        SUMMARY:Standup
        END:VEVENT
        END:VCALENDAR
        """;

    // Until nothing is enqueued or processing, twice in a row; retries scheduled for later count as finished.
    private static async Task WaitForJobsAsync(WebAppFactory app)
    {
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var quiet = 0;
        for (var attempt = 0; attempt < 240 && quiet < 2; attempt++)
        {
            await Task.Delay(500);
            var busy = monitoring.ProcessingCount() + monitoring.Queues().Sum(q => monitoring.EnqueuedCount(q.Name));
            quiet = busy == 0 ? quiet + 1 : 0;
        }
    }

    private async Task<WebAppFactory> StartAsync(string database)
    {
        var settings = new Dictionary<string, string?>();
        if (database == "PostgreSql")
        {
            settings["Storage:Provider"] = "PostgreSql";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync("etrap_ops");
        }

        return new WebAppFactory(settings: settings);
    }

    private static async Task<JsonElement> CreateTokenAsync(HttpClient client, string? scope, string name = "script")
    {
        using var response = await client.PostAsJsonAsync("/api/me/tokens", new { name, scope });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HttpClient ScriptWith(WebAppFactory app, JsonElement created) => ScriptWith(app, created.GetProperty("token").GetString()!);

    private static HttpClient ScriptWith(WebAppFactory app, string token)
    {
        var script = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), HandleCookies = false, AllowAutoRedirect = false });
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return script;
    }

    private static async Task<HttpResponseMessage> DeleteScheduledJobAsync(HttpClient client, string jobId)
    {
        using var content = new FormUrlEncodedContent([new("jobs[]", jobId)]);
        return await client.PostAsync("/hangfire/jobs/scheduled/delete", content);
    }

    private static string? StateOf(WebAppFactory app, string jobId)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CountingMailer : IReportMailer
    {
        private int _sent;

        public int Sent => _sent;

        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return Task.CompletedTask;
        }
    }
}
