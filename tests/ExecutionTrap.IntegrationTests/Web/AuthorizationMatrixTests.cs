using System.Net;
using System.Text;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Web;

/// <summary>
/// Every page and API endpoint, enumerated from the app's own routing, as anonymous, as a leader, as another
/// organisation's admin and as an admin: nobody reads or changes what is not theirs. An endpoint without a
/// rule here fails the test, so a new endpoint has to state who may use it.
/// </summary>
[Collection(WebAppGroup.Name)]
public sealed class AuthorizationMatrixTests
{
    internal enum Access
    {
        Anonymous,
        Leader,
        Admin,
        Operator,
    }

    internal sealed record Rule(Access Access, string Path, string? Body = null);

    // Keyed by "METHOD route pattern". Paths use org A's ids: {leaderA} {connectionA} {meetingA} {roleA} {ruleA} {tokenA}.
    internal static readonly Dictionary<string, Rule> Rules = new(StringComparer.Ordinal)
    {
        ["GET /healthz"] = new(Access.Anonymous, "/healthz"),
        ["POST /healthz"] = new(Access.Anonymous, "/healthz"),
        ["GET /openapi/{documentName}.json"] = new(Access.Leader, "/openapi/v1.json"),
        ["GET /sign-in/{provider}"] = new(Access.Anonymous, "/sign-in/microsoft"),
        ["POST /sign-out"] = new(Access.Leader, "/sign-out"),
        // Every organisation's jobs: the service's operators only, never an organisation's admin (see Security/OperatorsAndTokensTests).
        ["GET /hangfire/{**path}"] = new(Access.Operator, "/hangfire"),
        ["POST /hangfire/{**path}"] = new(Access.Operator, "/hangfire/recurring/trigger"),

        ["PAGE "] = new(Access.Anonymous, "/"),
        ["PAGE Index"] = new(Access.Anonymous, "/Index"),
        ["PAGE SignIn"] = new(Access.Anonymous, "/SignIn"),
        ["PAGE /sign-in"] = new(Access.Anonymous, "/sign-in"),
        ["PAGE AccessDenied"] = new(Access.Anonymous, "/AccessDenied"),
        ["PAGE /access-denied"] = new(Access.Anonymous, "/access-denied"),
        ["PAGE Error"] = new(Access.Anonymous, "/Error"),
        ["PAGE Dev/SignIn"] = new(Access.Anonymous, "/Dev/SignIn"),
        ["PAGE /dev/sign-in"] = new(Access.Anonymous, "/dev/sign-in"),
        ["PAGE week/{week?}"] = new(Access.Leader, "/week/2026-W47"),
        ["PAGE Connections"] = new(Access.Leader, "/connections"),
        ["PAGE Settings"] = new(Access.Leader, "/settings"),
        ["PAGE MyData"] = new(Access.Leader, "/MyData"),
        ["PAGE /my-data"] = new(Access.Leader, "/my-data"),
        ["PAGE Tokens"] = new(Access.Leader, "/tokens"),
        ["PAGE Admin/Roles"] = new(Access.Admin, "/admin/roles"),
        ["PAGE Admin/People"] = new(Access.Admin, "/admin/people"),
        ["PAGE Admin/Organisation"] = new(Access.Admin, "/admin/organisation"),
        ["PAGE admin/classification-rules"] = new(Access.Admin, "/admin/classification-rules"),
        ["PAGE Admin/Models"] = new(Access.Admin, "/admin/models"),
        ["PAGE Admin/Jobs"] = new(Access.Admin, "/admin/jobs"),

        ["GET /api/connections/"] = new(Access.Leader, "/api/connections/"),
        ["POST /api/connections/"] = new(Access.Leader, "/api/connections/", """{"address":"not a calendar"}"""),
        ["POST /api/connections/sample"] = new(Access.Leader, "/api/connections/sample"),
        ["GET /api/connections/{id:guid}"] = new(Access.Leader, "/api/connections/{connectionA}"),
        ["POST /api/connections/{id:guid}/sync"] = new(Access.Leader, "/api/connections/{connectionA}/sync"),
        ["DELETE /api/connections/{id:guid}"] = new(Access.Leader, "/api/connections/{connectionA}"),
        ["GET /api/weeks/current"] = new(Access.Leader, "/api/weeks/current"),
        ["GET /api/weeks/{week}"] = new(Access.Leader, "/api/weeks/2026-W47"),
        ["GET /api/leaders/{leaderId:guid}/weeks/{week}"] = new(Access.Leader, "/api/leaders/{leaderA}/weeks/2026-W47"),
        ["PUT /api/meetings/{id:long}/category"] = new(Access.Leader, "/api/meetings/{meetingA}/category", """{"category":"firefighting","wholeSeries":true}"""),
        ["GET /api/me/"] = new(Access.Leader, "/api/me/"),
        ["GET /api/me/settings"] = new(Access.Leader, "/api/me/settings"),
        ["PUT /api/me/settings"] = new(Access.Leader, "/api/me/settings", """{"timeZone":"Europe/London","reportDay":"Monday","reportHour":7}"""),
        ["GET /api/me/export"] = new(Access.Leader, "/api/me/export"),
        ["DELETE /api/me/"] = new(Access.Leader, "/api/me/"),
        ["GET /api/me/tokens"] = new(Access.Leader, "/api/me/tokens"),
        ["POST /api/me/tokens"] = new(Access.Leader, "/api/me/tokens", """{"name":"matrix"}"""),
        ["DELETE /api/me/tokens/{id:guid}"] = new(Access.Leader, "/api/me/tokens/{tokenA}"),

        ["GET /api/admin/roles"] = new(Access.Admin, "/api/admin/roles"),
        ["POST /api/admin/roles"] = new(Access.Admin, "/api/admin/roles", """{"name":"Matrix role","target":40}"""),
        ["PUT /api/admin/roles/{id:guid}"] = new(Access.Admin, "/api/admin/roles/{roleA}", """{"name":"Renamed by someone","target":10}"""),
        ["DELETE /api/admin/roles/{id:guid}"] = new(Access.Admin, "/api/admin/roles/{roleA}"),
        ["POST /api/admin/roles/{id:guid}/default"] = new(Access.Admin, "/api/admin/roles/{roleA}/default"),
        ["GET /api/admin/leaders"] = new(Access.Admin, "/api/admin/leaders"),
        ["PUT /api/admin/leaders/{id:guid}/role"] = new(Access.Admin, "/api/admin/leaders/{leaderA}/role", """{"roleId":null}"""),
        ["PUT /api/admin/leaders/{id:guid}/admin"] = new(Access.Admin, "/api/admin/leaders/{leaderA}/admin", """{"isAdmin":true}"""),
        ["GET /api/admin/rules"] = new(Access.Admin, "/api/admin/rules"),
        ["POST /api/admin/rules"] = new(Access.Admin, "/api/admin/rules", """{"jobTitleContains":"Director","roleId":"{roleA}"}"""),
        ["DELETE /api/admin/rules/{id:guid}"] = new(Access.Admin, "/api/admin/rules/{ruleA}"),
        ["GET /api/admin/organisation"] = new(Access.Admin, "/api/admin/organisation"),

        ["GET /healthz/live"] = new(Access.Anonymous, "/healthz/live"),
        ["POST /healthz/live"] = new(Access.Anonymous, "/healthz/live"),
        ["GET /healthz/ready"] = new(Access.Anonymous, "/healthz/ready"),
        ["POST /healthz/ready"] = new(Access.Anonymous, "/healthz/ready"),
        ["GET /metrics"] = new(Access.Anonymous, "/metrics"),
        ["POST /metrics"] = new(Access.Anonymous, "/metrics"),
        // The signed token is the authority here (RFC 8058 one-click): no session, no anti-forgery.
        ["GET /unsubscribe"] = new(Access.Anonymous, "/unsubscribe?token=not-a-token"),
        ["POST /unsubscribe"] = new(Access.Anonymous, "/unsubscribe?token=not-a-token"),
        ["GET /api/leaders/{leaderId:guid}/weeks/{week}/report"] = new(Access.Leader, "/api/leaders/{leaderA}/weeks/2026-W47/report"),
        ["GET /api/leaders/{leaderId:guid}/report-schedule/"] = new(Access.Leader, "/api/leaders/{leaderA}/report-schedule/"),
        ["PUT /api/leaders/{leaderId:guid}/report-schedule/"] = new(Access.Leader, "/api/leaders/{leaderA}/report-schedule/", """{"day":"friday","hour":9}"""),
        ["POST /api/admin/reports/{leaderId:guid}/{week}/resend"] = new(Access.Admin, "/api/admin/reports/{leaderA}/2026-W47/resend"),
        ["GET /api/admin/classification-rules/"] = new(Access.Admin, "/api/admin/classification-rules/"),
        ["POST /api/admin/classification-rules/"] = new(Access.Admin, "/api/admin/classification-rules/", """{"kind":"TitleContains","pattern":"QBR","category":"execution"}"""),
        ["POST /api/admin/classification-rules/test"] = new(Access.Admin, "/api/admin/classification-rules/test", """{"kind":"TitleContains","pattern":"QBR","category":"execution"}"""),
        ["DELETE /api/admin/classification-rules/{id:guid}"] = new(Access.Admin, "/api/admin/classification-rules/{ruleA}"),
        ["GET /api/admin/models/"] = new(Access.Admin, "/api/admin/models/"),
        ["POST /api/admin/models/rollback"] = new(Access.Admin, "/api/admin/models/rollback"),
        ["POST /api/admin/models/retrain"] = new(Access.Admin, "/api/admin/models/retrain"),
    };

    [Fact]
    public async Task EveryEndpoint_AnswersOnlyWhoMayUseIt_ForAnonymousLeaderOtherOrganisationAndAdmin()
    {
        await using var app = new WebAppFactory();
        var leaderA = await app.SignInAsync("lee@org-a.example");
        var adminA = await app.SignInAsync("ada@org-a.example", admin: true);
        var otherAdmin = await app.SignInAsync("bob@org-b.example", admin: true);
        var operatorClient = await app.SignInAsync("ops@operators.example", @operator: true);
        var anonymous = app.Browser();
        var ids = await SeedOrganisationAAsync(app);
        var endpoints = Enumerate(app.Services.GetRequiredService<EndpointDataSource>());
        var failures = new List<string>();

        var unknown = endpoints.Where(e => !Rules.ContainsKey(e)).ToList();
        failures.AddRange(unknown.Select(e => $"{e}: no authorization rule; add one to {nameof(AuthorizationMatrixTests)}.Rules"));
        var known = endpoints.Where(Rules.ContainsKey).ToList();

        // Destructive calls by the rightful owner come last, so they cannot hide a leak in the calls before them.
        // Signing out and deleting oneself end the owner's session, so they go last of all.
        foreach (var endpoint in known.OrderBy(e => e is "POST /sign-out" or "DELETE /api/me/" ? 2 : e.StartsWith("DELETE", StringComparison.Ordinal) ? 1 : 0))
        {
            var rule = Rules[endpoint];
            var method = endpoint.StartsWith("PAGE", StringComparison.Ordinal) ? "GET" : endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)];
            var path = Fill(rule.Path, ids);
            var body = rule.Body is null ? null : Fill(rule.Body, ids);
            var isApi = path.StartsWith("/api", StringComparison.Ordinal);

            using (var response = await SendAsync(anonymous, method, path, body))
            {
                if (rule.Access != Access.Anonymous && !IsSignInChallenge(response, isApi))
                {
                    failures.Add($"{endpoint} as anonymous: {Describe(response)}, expected a sign-in challenge");
                }
            }

            if (rule.Access == Access.Anonymous)
            {
                continue;
            }

            // Another organisation's admin, with organisation A's ids: never a success that touches A.
            using (var response = await SendAsync(otherAdmin, method, path, body))
            {
                var text = await response.Content.ReadAsStringAsync();
                var touchesA = ids.Where(id => id.Key != "meetingA").Any(id => text.Contains(id.Value, StringComparison.OrdinalIgnoreCase))
                    || text.Contains("org-a.example", StringComparison.Ordinal) || text.Contains("Org A", StringComparison.Ordinal);
                var targetsA = rule.Path.Contains('{', StringComparison.Ordinal) || (rule.Body?.Contains('{', StringComparison.Ordinal) == true && rule.Body.Contains("{roleA}", StringComparison.Ordinal));
                if (touchesA || (targetsA && response.IsSuccessStatusCode && method != "GET" && !path.StartsWith("/api/leaders", StringComparison.Ordinal)))
                {
                    failures.Add($"{endpoint} as another organisation's admin: {Describe(response)} touched organisation A");
                }

                if (targetsA && method == "GET" && response.IsSuccessStatusCode && !path.StartsWith("/hangfire", StringComparison.Ordinal))
                {
                    failures.Add($"{endpoint} as another organisation's admin: {Describe(response)} read organisation A's resource");
                }
            }

            using (var response = await SendAsync(leaderA, method, path, body))
            {
                if (rule.Access is Access.Admin or Access.Operator && !IsForbidden(response, isApi))
                {
                    failures.Add($"{endpoint} as a leader: {Describe(response)}, expected forbidden");
                }

                if (rule.Access == Access.Leader && method == "GET" && response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{endpoint} as its owner: {Describe(response)}, expected 200");
                }
            }

            if (rule.Access == Access.Admin && method == "GET")
            {
                using var response = await SendAsync(adminA, method, path, body);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{endpoint} as admin: {Describe(response)}, expected 200");
                }
            }

            if (rule.Access == Access.Operator)
            {
                using (var response = await SendAsync(adminA, method, path, body))
                {
                    if (!IsForbidden(response, isApi))
                    {
                        failures.Add($"{endpoint} as an organisation's admin: {Describe(response)}, expected forbidden (operators only)");
                    }
                }

                if (method == "GET")
                {
                    using var response = await SendAsync(operatorClient, method, path, body);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{endpoint} as operator: {Describe(response)}, expected 200");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task OtherOrganisationsAdmin_LeavesOrganisationAUnchanged_AfterTryingEveryEndpoint()
    {
        await using var app = new WebAppFactory();
        await app.SignInAsync("lee@org-a.example");
        var otherAdmin = await app.SignInAsync("bob@org-b.example", admin: true);
        var ids = await SeedOrganisationAAsync(app);

        foreach (var (endpoint, rule) in Rules.Where(r => !r.Key.StartsWith("PAGE", StringComparison.Ordinal) && !r.Key.StartsWith("GET", StringComparison.Ordinal)
            && r.Key != "DELETE /api/me/" && r.Key != "POST /sign-out"))
        {
            using var _ = await SendAsync(otherAdmin, endpoint[..endpoint.IndexOf(' ', StringComparison.Ordinal)], Fill(rule.Path, ids), rule.Body is null ? null : Fill(rule.Body, ids));
        }

        await app.WithDbAsync(async db =>
        {
            var connection = await db.Connections.SingleAsync(c => c.Id == Guid.Parse(ids["connectionA"]));
            Assert.Equal(ConnectionStatus.Active, connection.Status);
            var meeting = await db.Meetings.SingleAsync(m => m.Id == long.Parse(ids["meetingA"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Null(meeting.CorrectedCategory);
            var role = await db.Roles.SingleAsync(r => r.Id == Guid.Parse(ids["roleA"]));
            Assert.Equal("Org A directors", role.Name);
            Assert.True(await db.RoleRules.AnyAsync(r => r.Id == Guid.Parse(ids["ruleA"])));
            Assert.True(await db.ApiTokens.AnyAsync(t => t.Id == Guid.Parse(ids["tokenA"])));
            var leader = await db.Leaders.SingleAsync(l => l.Id == Guid.Parse(ids["leaderA"]));
            Assert.False(leader.IsAdmin);
            Assert.Equal(Guid.Parse(ids["roleA"]), leader.RoleId);
        });
    }

    internal static List<string> Enumerate(EndpointDataSource source)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is not null
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>() is Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor)
            {
                keys.Add($"PAGE {pattern}");
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var method in methods)
            {
                keys.Add($"{method} {pattern}");
            }
        }

        return [.. keys];
    }

    internal static async Task<Dictionary<string, string>> SeedOrganisationAAsync(WebAppFactory app)
    {
        var ids = new Dictionary<string, string>();
        await app.WithDbAsync(async db =>
        {
            var leader = await db.Leaders.SingleAsync(l => l.Email == "lee@org-a.example");
            var role = new RoleEntity { Id = Guid.NewGuid(), OrganisationId = leader.OrganisationId, Name = "Org A directors", TargetExecutionScore = 30 };
            var rule = new RoleRule { Id = Guid.NewGuid(), OrganisationId = leader.OrganisationId, JobTitleContains = "Director", RoleId = role.Id };
            var connection = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Ics, Address = "/nowhere/org-a.ics", DisplayName = "org-a.ics" };
            var start = Instant.FromUtc(2026, 11, 17, 10, 0);
            var meeting = new StoredMeeting
            {
                ConnectionId = connection.Id,
                ProviderId = "org-a-meeting",
                Provider = CalendarProvider.Ics,
                Title = "Org A board prep",
                Start = start,
                End = start + Duration.FromHours(1),
                AttendeeCount = 4,
                SeriesId = "org-a-series",
                IsRecurring = true,
                Category = Category.Strategy,
                Confidence = 0.9,
                DecidedBy = "model",
            };
            var token = new ApiToken { Id = Guid.NewGuid(), LeaderId = leader.Id, Name = "org a script", Hash = new string('a', 64), Prefix = "etk_aaaaaa" };
            leader.RoleId = role.Id;
            db.AddRange(role, rule, connection, meeting, token);
            await db.SaveChangesAsync();
            ids["leaderA"] = leader.Id.ToString();
            ids["roleA"] = role.Id.ToString();
            ids["ruleA"] = rule.Id.ToString();
            ids["connectionA"] = connection.Id.ToString();
            ids["meetingA"] = meeting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ids["tokenA"] = token.Id.ToString();
        });
        return ids;
    }

    internal static string Fill(string template, Dictionary<string, string> ids) =>
        ids.Aggregate(template, (text, id) => text.Replace("{" + id.Key + "}", id.Value, StringComparison.Ordinal));

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static bool IsSignInChallenge(HttpResponseMessage response, bool isApi) => isApi
        ? response.StatusCode == HttpStatusCode.Unauthorized
        : response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/sign-in", StringComparison.Ordinal) == true;

    private static bool IsForbidden(HttpResponseMessage response, bool isApi) => isApi
        ? response.StatusCode == HttpStatusCode.Forbidden
        : response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/access-denied", StringComparison.Ordinal) == true;

    private static string Describe(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Headers.Location}".Trim();
}
