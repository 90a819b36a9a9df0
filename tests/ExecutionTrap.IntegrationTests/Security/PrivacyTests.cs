using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Web;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// "An admin never sees one person": through the real host, on SQLite and PostgreSQL, an admin looks at every page and
/// API they may open and finds no single leader's score and no title that fewer than five leaders hold.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PrivacyTests(PostgresServer postgres)
{
    private const string PrivateTitle = "Divestiture talks (confidential)";
    private const string LoneTitle = "Dinner with CEO candidate";
    private const string SharedTitle = "Weekly ops review";

    public static TheoryData<string, int, bool> RoleSizes => new()
    {
        { "Sqlite", 1, false }, // one leader: the minimum, median and maximum are that person's score
        { "Sqlite", 4, false }, // one below the group: still hidden
        { "Sqlite", 5, true }, // the group: shown, which proves the seeded scores would be visible if leaked
        { "PostgreSql", 1, false },
        { "PostgreSql", 4, false },
        { "PostgreSql", 5, true },
    };

    [Theory]
    [MemberData(nameof(RoleSizes))]
    public async Task AdminPagesAndApis_ShowNoLeadersScore_WhenTheRoleIsSmallerThanTheMinimumGroup(string database, int roleSize, bool shown)
    {
        await using var app = await StartAsync(database);
        var admin = await app.SignInAsync("ada@people.example", admin: true);
        var leaders = await SeedLeadersAsync(app, "people.example", roleSize);
        var scores = new List<string>();
        await app.WithDbAsync(async db =>
        {
            var role = new RoleEntity { Id = Guid.NewGuid(), OrganisationId = (await db.Leaders.FirstAsync(l => l.Email == "ada@people.example")).OrganisationId, Name = "Small role", TargetExecutionScore = 40 };
            db.Roles.Add(role);
            var day = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()).InUtc().Date.PlusDays(-2);
            for (var i = 0; i < leaders.Count; i++)
            {
                var leader = await db.Leaders.SingleAsync(l => l.Id == leaders[i]);
                leader.RoleId = role.Id;
                var connection = AddConnection(db, leader.Id);
                var execution = 47 + i;
                const int strategy = 23;
                AddMeeting(db, connection, $"Ops sync {i}", day.At(new LocalTime(8, 0)).InUtc().ToInstant(), execution, Category.Execution);
                AddMeeting(db, connection, $"Planning {i}", day.At(new LocalTime(10, 0)).InUtc().ToInstant(), strategy, Category.Strategy);
                var side = Category.Execution.IsExecutionSide() ? execution : strategy;
                scores.Add(Math.Round(100.0 * side / (execution + strategy), 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture));
            }

            await db.SaveChangesAsync();
        });

        var bodies = await AdminViewsAsync(admin, leaders[0]);

        if (shown)
        {
            Assert.Contains(scores.Min(StringComparer.Ordinal)!, bodies["/admin/organisation"], StringComparison.Ordinal);
            Assert.Contains(scores.Min(StringComparer.Ordinal)!, bodies["/api/admin/organisation"], StringComparison.Ordinal);
            return;
        }

        Assert.Contains("fewer than 5 leaders: hidden to protect privacy", bodies["/admin/organisation"], StringComparison.Ordinal);
        Assert.Contains("fewer than 5 leaders: hidden to protect privacy", bodies["/api/admin/organisation"], StringComparison.Ordinal);
        var leaks = bodies.SelectMany(b => scores.Where(s => b.Value.Contains(s, StringComparison.Ordinal)).Select(s => $"{b.Key} shows {s}")).ToList();
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    public static TheoryData<string> Databases => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task RuleTester_ShowsNoPrivateOrSubGroupTitle_AndAnswersAlikeForDiAndDx(string database)
    {
        await using var app = await StartAsync(database);
        var admin = await app.SignInAsync("ada@titles.example", admin: true);
        var leaders = await SeedLeadersAsync(app, "titles.example", 5);
        await app.WithDbAsync(async db =>
        {
            var lastWeek = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()) - Duration.FromDays(6);
            for (var i = 0; i < leaders.Count; i++)
            {
                var connection = AddConnection(db, leaders[i]);
                AddMeeting(db, connection, SharedTitle, lastWeek, 60, Category.Execution);
                if (i == 0)
                {
                    AddMeeting(db, connection, PrivateTitle, lastWeek + Duration.FromHours(2), 60, Category.Execution, isPrivate: true);
                }

                if (i == 1)
                {
                    AddMeeting(db, connection, LoneTitle, lastWeek + Duration.FromHours(3), 60, Category.Execution);
                }
            }

            await db.SaveChangesAsync();
        });

        var di = await TestRuleAsync(admin, "^Di");
        var dx = await TestRuleAsync(admin, "^Dx");
        var divest = await TestRuleAsync(admin, "^Divestiture");
        var shared = await TestRuleAsync(admin, "^Weekly");
        var page = await WebAppFactory.PostFormAsync(admin, "/admin/classification-rules", "Test", new()
        {
            ["kind"] = "TitleRegex",
            ["pattern"] = "^Di",
            ["category"] = "strategy",
        });
        var pageHtml = await page.Content.ReadAsStringAsync();
        var views = await AdminViewsAsync(admin, leaders[0]);

        // The private title differs from "^Dx" in its second letter, the lone title too: an oracle would answer differently.
        Assert.Equal(dx, di);
        Assert.Equal(dx, divest);
        Assert.Contains(SharedTitle, shared, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("rule-test", pageHtml, StringComparison.Ordinal);
        foreach (var (where, body) in views.Append(new("rule test page", pageHtml)).Append(new("rule test API", di)))
        {
            Assert.DoesNotContain("Divestiture", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Dinner with", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RuleTester_CountsNothingBackedByOneLeader_WhenOnlyTheirOwnCategoryMatches(string database) // a security review read one leader's Outlook category this way
    {
        await using var app = await StartAsync(database);
        var admin = await app.SignInAsync("ada@labels.example", admin: true);
        var leaders = await SeedLeadersAsync(app, "labels.example", 5);
        await app.WithDbAsync(async db =>
        {
            var lastWeek = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()) - Duration.FromDays(6);
            foreach (var leader in leaders)
            {
                AddMeeting(db, AddConnection(db, leader), SharedTitle, lastWeek, 60, Category.Execution);
            }

            await db.SaveChangesAsync();
            var first = await db.Meetings.Where(m => m.Title == SharedTitle).OrderBy(m => m.Id).FirstAsync();
            first.ProviderCategories = "Job interview";
            await db.SaveChangesAsync();
        });

        var interview = await TestCategoryAsync(admin, "Job interview");
        var dentist = await TestCategoryAsync(admin, "Dentist");

        Assert.Equal(dentist.GetRawText(), interview.GetRawText());
        Assert.Equal(0, interview.GetProperty("matched").GetInt32());
    }

    private async Task<WebAppFactory> StartAsync(string database)
    {
        var settings = new Dictionary<string, string?>();
        if (database == "PostgreSql")
        {
            settings["Storage:Provider"] = "PostgreSql";
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync("etrap_privacy");
        }

        return new WebAppFactory(settings: settings);
    }

    private static async Task<List<Guid>> SeedLeadersAsync(WebAppFactory app, string domain, int count)
    {
        var emails = Enumerable.Range(0, count).Select(i => $"leader{i}@{domain}").ToList();
        foreach (var email in emails)
        {
            using var _ = await app.SignInAsync(email);
        }

        var ids = new List<Guid>();
        await app.WithDbAsync(async db =>
        {
            foreach (var email in emails)
            {
                ids.Add(await db.Leaders.Where(l => l.Email == email).Select(l => l.Id).SingleAsync());
            }
        });
        return ids;
    }

    private static Guid AddConnection(ExecutionTrapDbContext db, Guid leaderId)
    {
        var connection = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leaderId, Provider = CalendarProvider.Ics, Address = "/nowhere/seeded.ics", DisplayName = "seeded.ics" };
        db.Connections.Add(connection);
        return connection.Id;
    }

    private static void AddMeeting(ExecutionTrapDbContext db, Guid connectionId, string title, Instant start, int minutes, Category category, bool isPrivate = false) =>
        db.Meetings.Add(new StoredMeeting
        {
            ConnectionId = connectionId,
            ProviderId = Guid.NewGuid().ToString("N"),
            Provider = CalendarProvider.Ics,
            Title = title,
            Start = start,
            End = start + Duration.FromMinutes(minutes),
            AttendeeCount = 4,
            IsPrivate = isPrivate,
            Category = category,
            Confidence = 0.9,
            DecidedBy = "model",
        });

    private static async Task<JsonElement> TestCategoryAsync(HttpClient admin, string category)
    {
        using var response = await admin.PostAsJsonAsync("/api/admin/classification-rules/test", new { kind = "ProviderCategoryEquals", pattern = category, category = "strategy" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> TestRuleAsync(HttpClient admin, string pattern)
    {
        using var response = await admin.PostAsJsonAsync("/api/admin/classification-rules/test", new { kind = "TitleRegex", pattern, category = "strategy" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    // Everything an admin can open that speaks of people, and the two views of one leader an admin must not get at all.
    private static async Task<Dictionary<string, string>> AdminViewsAsync(HttpClient admin, Guid leaderId)
    {
        var week = IsoWeekNow();
        string[] paths =
        [
            "/admin/organisation", "/api/admin/organisation", "/admin/people", "/api/admin/leaders", "/admin/roles", "/api/admin/roles",
            "/admin/jobs", "/admin/classification-rules", "/api/admin/classification-rules/", "/admin/models", "/api/admin/models/",
            $"/api/leaders/{leaderId}/weeks/{week}", $"/api/leaders/{leaderId}/weeks/{week}/report",
        ];
        var bodies = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            using var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            bodies[path] = await response.Content.ReadAsStringAsync();
        }

        return bodies;
    }

    private static string IsoWeekNow() =>
        Domain.Scoring.IsoWeek.Containing(Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow()), DateTimeZone.Utc).ToString();
}
