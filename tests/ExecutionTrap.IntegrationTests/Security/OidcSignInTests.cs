extern alias web;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Web;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Sign-in end to end: the app's real ASP.NET Core OpenID Connect handler against a real OpenID provider
/// (oidc-provider) on loopback, issuing Microsoft-shaped (tid, oid) and Google-shaped (hd, email_verified)
/// tokens; the browser is an HTTP client that follows the redirects and posts the provider's callback form.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class OidcSignInTests(PostgresServer postgres)
{
    private const string ContosoTenant = "7f3c1e2a-0000-4000-8000-00000000c0a1";
    private const string FabrikamTenant = "9b1d5e7f-0000-4000-8000-0000000fab01";
    private const string VictimObjectId = "11111111-1111-4111-8111-111111111111";
    private const string VictimEmail = "alice@contoso.example";

    private static readonly Dictionary<string, TestAccount> Accounts = new()
    {
        ["alice"] = new(Tid: ContosoTenant, Oid: VictimObjectId, Email: VictimEmail, PreferredUsername: VictimEmail, Name: "Alice"),
        ["bob"] = new(Tid: ContosoTenant, Oid: "22222222-2222-4222-8222-222222222222", Email: "bob@contoso.example", Name: "Bob"),
        // The "nOAuth" attacker: their own tenant, an account whose (unverified) e-mail is the victim's.
        ["mallory"] = new(Tid: FabrikamTenant, Oid: "66666666-6666-4666-8666-666666666666", Email: VictimEmail, PreferredUsername: VictimEmail, Name: "Alice"),
        ["gina"] = new(Hd: "contoso.example", Email: "gina@contoso.example", EmailVerified: true, Name: "Gina"),
        ["unverified"] = new(Hd: "contoso.example", Email: "ursula@contoso.example", EmailVerified: false, Name: "Ursula"),
        ["personal"] = new(Email: "pat@gmail.example", EmailVerified: true, Name: "Pat"),
    };

    public static TheoryData<string> Databases => new() { "Sqlite", "PostgreSql" };

    /// <summary>Each case: the provider to sign in with, the test account, what the app trusts; every one must be refused.</summary>
    public static TheoryData<string, string> Refusals()
    {
        var data = new TheoryData<string, string>();
        foreach (var database in new[] { "Sqlite", "PostgreSql" })
        {
            foreach (var refusal in new[] { "unverified-email", "personal-google-account", "wrong-issuer", "replayed-state", "nonce-mismatch", "tenant-not-allowed" })
            {
                data.Add(refusal, database);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MicrosoftSignIn_LandsInTheTenantsOrganisation_WithTheLeaderConfiguredForThatTenant(string database)
    {
        await using var provider = await OidcTestProvider.StartAsync(Accounts);
        await using var app = await AppAsync(database, provider, settings: new()
        {
            ["Onboarding:Leaders:0:Email"] = "carol@contoso.example",
            ["Onboarding:Leaders:0:Tenant"] = ContosoTenant,
            ["Onboarding:Leaders:1:Email"] = "dave@contoso.example",
        });
        using var browser = new OidcBrowser(app.Server.CreateHandler());

        var callback = await browser.AuthorizeAsync("/sign-in/microsoft?returnUrl=/week", "alice");
        using var response = await browser.PostCallbackAsync(callback);
        var me = await MeAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/week", response.Headers.Location?.OriginalString);
        Assert.True(OidcBrowser.SetsSignInCookie(response));
        await app.WithDbAsync(async db =>
        {
            var alice = await db.Leaders.Include(l => l.Organisation).SingleAsync(l => l.Id == me.GetProperty("id").GetGuid());
            var carol = await db.Leaders.Include(l => l.Organisation).SingleAsync(l => l.Email == "carol@contoso.example");
            var dave = await db.Leaders.SingleAsync(l => l.Email == "dave@contoso.example");
            Assert.Equal($"microsoft:{ContosoTenant}", alice.IdentityIssuer);
            Assert.Equal(VictimObjectId, alice.IdentitySubject);
            Assert.Equal($"microsoft:{ContosoTenant}", alice.Organisation!.Domain);
            // The configured colleague of the same tenant is in the same organisation; one declared without a tenant is not.
            Assert.Equal(alice.OrganisationId, carol.OrganisationId);
            Assert.NotEqual(alice.OrganisationId, dave.OrganisationId);
        });
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task GoogleSignIn_LandsInTheWorkspaceOrganisation_WithTheLeaderConfiguredForThatDomain(string database)
    {
        await using var provider = await OidcTestProvider.StartAsync(Accounts);
        await using var app = await AppAsync(database, provider, settings: new()
        {
            ["Onboarding:Leaders:0:Email"] = "carol@contoso.example",
            ["Onboarding:Leaders:0:WorkspaceDomain"] = "Contoso.example",
        });
        using var browser = new OidcBrowser(app.Server.CreateHandler());

        var callback = await browser.AuthorizeAsync("/sign-in/google", "gina");
        using var response = await browser.PostCallbackAsync(callback);
        var me = await MeAsync(browser);

        Assert.True(OidcBrowser.SetsSignInCookie(response));
        await app.WithDbAsync(async db =>
        {
            var gina = await db.Leaders.Include(l => l.Organisation).SingleAsync(l => l.Id == me.GetProperty("id").GetGuid());
            var carol = await db.Leaders.SingleAsync(l => l.Email == "carol@contoso.example");
            Assert.Equal("google:contoso.example", gina.Organisation!.Domain);
            Assert.Equal("google:contoso.example", gina.IdentityIssuer);
            Assert.Equal("gina", gina.IdentitySubject);
            Assert.Equal(gina.OrganisationId, carol.OrganisationId);
        });
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task MicrosoftSignIn_GivesTheCrossTenantTokenItsOwnAccount_WhenItCarriesTheVictimsEmail(string database)
    {
        await using var provider = await OidcTestProvider.StartAsync(Accounts);
        await using var app = await AppAsync(database, provider, settings: new()
        {
            // The victim is an admin by configuration (tenant + object id), as the operator would set it.
            ["Auth:Admins:0:Tenant"] = ContosoTenant,
            ["Auth:Admins:0:ObjectId"] = VictimObjectId,
        });
        using var victim = new OidcBrowser(app.Server.CreateHandler());
        using var attacker = new OidcBrowser(app.Server.CreateHandler());
        using (var signedIn = await victim.PostCallbackAsync(await victim.AuthorizeAsync("/sign-in/microsoft", "alice")))
        {
            Assert.True(OidcBrowser.SetsSignInCookie(signedIn));
        }

        var victimMe = await MeAsync(victim);

        using var response = await attacker.PostCallbackAsync(await attacker.AuthorizeAsync("/sign-in/microsoft", "mallory"));
        var attackerMe = await MeAsync(attacker);
        using var people = await attacker.GetAsync("/admin/people");

        Assert.True(victimMe.GetProperty("isAdmin").GetBoolean());
        Assert.NotEqual(victimMe.GetProperty("id").GetGuid(), attackerMe.GetProperty("id").GetGuid());
        Assert.NotEqual(victimMe.GetProperty("organisationId").GetGuid(), attackerMe.GetProperty("organisationId").GetGuid());
        Assert.False(attackerMe.GetProperty("isAdmin").GetBoolean());
        Assert.NotEqual(HttpStatusCode.OK, people.StatusCode);
        await app.WithDbAsync(async db =>
        {
            var sameAddress = await db.Leaders.Include(l => l.Organisation).Where(l => l.Email == VictimEmail).ToListAsync();
            Assert.Equal(2, sameAddress.Count);
            var own = Assert.Single(sameAddress, l => l.Id == attackerMe.GetProperty("id").GetGuid());
            Assert.Equal($"microsoft:{FabrikamTenant}", own.Organisation!.Domain);
            Assert.False(own.IsAdmin);
            Assert.Equal(1, await db.Leaders.CountAsync(l => l.OrganisationId == victimMe.GetProperty("organisationId").GetGuid()));
        });
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task SignIn_IsRefused_WhenTheCallbackCannotBeTrusted(string refusal, string database)
    {
        await using var provider = await OidcTestProvider.StartAsync(Accounts);
        // A second provider instance: its own keys, its own issuer, not the one the app trusts.
        await using var impostor = refusal == "wrong-issuer" ? await OidcTestProvider.StartAsync(Accounts) : null;
        var settings = new Dictionary<string, string?>();
        if (refusal == "tenant-not-allowed")
        {
            settings["Auth:AllowedTenants:0"] = ContosoTenant;
        }

        await using var app = await AppAsync(database, provider, settings, authority: impostor?.Issuer);
        using var browser = new OidcBrowser(app.Server.CreateHandler());
        var (scheme, account, expected) = refusal switch
        {
            "unverified-email" => ("google", "unverified", "unverified-email"),
            "personal-google-account" => ("google", "personal", "personal-google-account"),
            "tenant-not-allowed" => ("microsoft", "mallory", "tenant-not-allowed"),
            _ => ("microsoft", "alice", "failed"),
        };

        HttpResponseMessage response;
        if (refusal == "replayed-state")
        {
            // The whole callback request captured and sent again, cookies included: state, correlation and code reused.
            var callback = await browser.AuthorizeAsync($"/sign-in/{scheme}", account);
            var cookiesThen = browser.CopyCookies();
            using (var first = await browser.PostCallbackAsync(callback))
            {
                Assert.True(OidcBrowser.SetsSignInCookie(first));
            }

            response = await browser.PostCallbackAsync(callback, cookiesThen);
        }
        else if (refusal == "nonce-mismatch")
        {
            // The browser holds the nonce of another sign-in it started, not the one in the ID token it is given.
            using var other = new OidcBrowser(app.Server.CreateHandler());
            using (await other.GetAsync($"/sign-in/{scheme}"))
            {
            }

            var callback = await browser.AuthorizeAsync($"/sign-in/{scheme}", account);
            var cookies = browser.CopyCookies(c => !IsNonce(c));
            foreach (Cookie nonce in other.CopyCookies(IsNonce).GetAllCookies())
            {
                cookies.Add(nonce);
            }

            Assert.Contains(cookies.GetAllCookies(), IsNonce);
            response = await browser.PostCallbackAsync(callback, cookies);
        }
        else
        {
            response = await browser.PostCallbackAsync(await browser.AuthorizeAsync($"/sign-in/{scheme}", account));
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/sign-in?error={expected}", response.Headers.Location?.OriginalString);
            Assert.False(OidcBrowser.SetsSignInCookie(response));
        }

        using var page = await browser.GetAsync($"/sign-in?error={expected}");
        Assert.Contains("data-testid=\"sign-in-refused\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var subject = Accounts[account].Oid ?? account;
        await app.WithDbAsync(async db =>
            Assert.Equal(refusal == "replayed-state" ? 1 : 0, await db.Leaders.CountAsync(l => l.IdentitySubject == subject)));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SignIn_DoesNotBringBackADisconnectedCalendar_UntilTheLeaderAsks(string database)
    {
        await using var provider = await OidcTestProvider.StartAsync(Accounts);
        await using var app = await AppAsync(database, provider);
        using var browser = new OidcBrowser(app.Server.CreateHandler());
        using (await browser.PostCallbackAsync(await browser.AuthorizeAsync("/sign-in/microsoft", "alice")))
        {
        }

        var connected = await ConnectionAsync(app);
        Assert.Equal(ConnectionStatus.Active, connected.Status);
        Assert.NotNull(connected.ProtectedRefreshToken);
        using (var disconnect = await PostPageAsync(browser, "/connections", "Disconnect", new() { ["id"] = connected.Id.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Redirect, disconnect.StatusCode);
        }

        // Signed out, then signed in again: the same consent grants calendar access again, but the leader said no.
        using var again = new OidcBrowser(app.Server.CreateHandler());
        using (var signedIn = await again.PostCallbackAsync(await again.AuthorizeAsync("/sign-in/microsoft", "alice")))
        {
            Assert.True(OidcBrowser.SetsSignInCookie(signedIn));
        }

        var afterSignIn = await ConnectionAsync(app);
        var listed = await (await again.GetAsync("/connections")).Content.ReadAsStringAsync();

        using (await again.PostCallbackAsync(await again.AuthorizeAsync("/sign-in/microsoft?connect=calendar&returnUrl=/connections", "alice")))
        {
        }

        var afterAsking = await ConnectionAsync(app);

        Assert.Equal(ConnectionStatus.Disconnected, afterSignIn.Status);
        Assert.Null(afterSignIn.ProtectedRefreshToken);
        Assert.DoesNotContain("data-testid=\"connection\"", listed, StringComparison.Ordinal);
        Assert.Equal(connected.Id, afterAsking.Id);
        Assert.Equal(ConnectionStatus.Active, afterAsking.Status);
        Assert.NotNull(afterAsking.ProtectedRefreshToken);
    }

    private static bool IsNonce(Cookie cookie) => cookie.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal);

    private async Task<WebAppFactory> AppAsync(string database, OidcTestProvider provider, Dictionary<string, string?>? settings = null, string? authority = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Jobs:Storage"] = "InMemory",
            // Nothing here syncs: the grant is stored, not used (the sync has its own tests).
            ["Jobs:RunWorker"] = "false",
            ["Storage:Provider"] = database,
        };
        if (database == "PostgreSql")
        {
            all["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync("etrap_oidc");
        }

        foreach (var (name, id, secret) in new[] { ("Microsoft", OidcTestProvider.MicrosoftClientId, OidcTestProvider.MicrosoftClientSecret), ("Google", OidcTestProvider.GoogleClientId, OidcTestProvider.GoogleClientSecret) })
        {
            all[$"Auth:{name}:ClientId"] = id;
            all[$"Auth:{name}:ClientSecret"] = secret;
            all[$"Auth:{name}:Authority"] = authority ?? provider.Issuer;
            all[$"Auth:{name}:Issuer"] = provider.Issuer;
            all[$"Auth:{name}:RequireHttpsMetadata"] = "false";
        }

        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var app = new WebAppFactory(settings: all);
        _ = app.Server;
        return app;
    }

    private static async Task<JsonElement> MeAsync(OidcBrowser browser)
    {
        using var response = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<CalendarConnection> ConnectionAsync(WebAppFactory app)
    {
        CalendarConnection? connection = null;
        await app.WithDbAsync(async db => connection = await db.Connections.AsNoTracking().SingleAsync(c => c.Provider == CalendarProvider.Microsoft));
        return connection!;
    }

    private static async Task<HttpResponseMessage> PostPageAsync(OidcBrowser browser, string page, string handler, Dictionary<string, string> fields)
    {
        using var form = await browser.GetAsync(page);
        fields["__RequestVerificationToken"] = WebAppFactory.AntiforgeryToken(await form.Content.ReadAsStringAsync());
        return await browser.SendAsync(HttpMethod.Post, new Uri(OidcBrowser.AppBase, $"{page}?handler={handler}"), new FormUrlEncodedContent(fields));
    }
}
