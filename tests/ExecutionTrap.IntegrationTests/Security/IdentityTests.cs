extern alias web;

using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.IntegrationTests.Web;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Security;

/// <summary>
/// Accounts, organisations and rights through the real host on SQLite and PostgreSQL: who a person is comes
/// from the issuer and object id, rights from configuration by tenant + object id, never from an e-mail address.
/// (The sign-in flow itself, end to end, is in <see cref="OidcSignInTests"/>.)
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class IdentityTests(PostgresServer postgres)
{
    private const string Contoso = "7f3c1e2a-0000-4000-8000-00000000c0a1";
    private const string Fabrikam = "9b1d5e7f-0000-4000-8000-0000000fab01";
    private const string OperatorOid = "0a0a0a0a-0000-4000-8000-000000000001";
    private const string AdminOid = "0a0a0a0a-0000-4000-8000-000000000002";

    /// <summary>Who signs in, and the roles they must end up with (Auth:Operators = Contoso/OperatorOid, Auth:Admins = Contoso/AdminOid and the Workspace admin).</summary>
    public static TheoryData<string, string, string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string, string, string>();
        foreach (var database in new[] { "Sqlite", "PostgreSql" })
        {
            data.Add(database, "microsoft", Contoso, OperatorOid, "operator");
            data.Add(database, "microsoft", Contoso, AdminOid, "admin");
            // The same object id in another tenant is another person.
            data.Add(database, "microsoft", Fabrikam, OperatorOid, "");
            data.Add(database, "microsoft", Fabrikam, AdminOid, "");
            data.Add(database, "google", "contoso.example", "108234", "admin");
            data.Add(database, "google", "fabrikam.example", "108234", "");
            // A local account (configured leader, Development sign-in) is keyed by e-mail: configuration never names it.
            data.Add(database, "local", "local", AdminOid, "");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TransformAsync_GivesConfiguredRoles_OnlyToTheNamedTenantAndObjectId(string database, string kind, string tenant, string subject, string expected)
    {
        await using var app = await AppAsync(database, new()
        {
            ["Auth:Operators:0:Tenant"] = Contoso,
            ["Auth:Operators:0:ObjectId"] = OperatorOid,
            ["Auth:Admins:0:Tenant"] = Contoso,
            ["Auth:Admins:0:ObjectId"] = AdminOid.ToUpperInvariant(),
            ["Auth:Admins:1:Tenant"] = "contoso.example",
            ["Auth:Admins:1:ObjectId"] = "108234",
        });
        var account = kind switch
        {
            "microsoft" => AccountKey.Microsoft(tenant, subject),
            "google" => AccountKey.Google(tenant, subject),
            _ => AccountKey.Local(subject + "@contoso.example"),
        };
        var organisation = kind == "google" ? OrganisationKeys.Google(tenant) : kind == "local" ? OrganisationKeys.Local("contoso.example") : OrganisationKeys.Microsoft(tenant);

        await using var scope = app.Services.CreateAsyncScope();
        var leader = await scope.ServiceProvider.GetRequiredService<Accounts>().SignInAsync(
            new SignInIdentity(account, organisation, tenant, "same.person@contoso.example", "Same Person", null, RequestsAdmin: false), CancellationToken.None);
        var principal = await scope.ServiceProvider.GetRequiredService<IClaimsTransformation>().TransformAsync(Accounts.PrincipalFor(leader, AuthSchemes.Cookie));

        Assert.Equal(expected == "operator", principal.IsInRole(AuthSchemes.OperatorRole));
        Assert.Equal(expected == "admin", principal.IsInRole(AuthSchemes.AdminRole));
        Assert.Equal(expected == "admin", leader.IsAdmin);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task SignInAsync_KeysAccountsByIssuerAndObjectId_NeverByEmail(string database)
    {
        await using var app = await AppAsync(database, []);
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<Accounts>();
        const string email = "alice@contoso.example";

        var victim = await accounts.SignInAsync(Microsoft(Contoso, "a1", email), CancellationToken.None);
        var attacker = await accounts.SignInAsync(Microsoft(Fabrikam, "m1", email), CancellationToken.None);
        var colleague = await accounts.SignInAsync(Microsoft(Contoso, "b2", "bob@contoso.example"), CancellationToken.None);
        // The victim again, now with another address in the token: still the victim's one account.
        var victimAgain = await accounts.SignInAsync(Microsoft(Contoso, "A1", "alice.smith@contoso.example"), CancellationToken.None);

        Assert.NotEqual(victim.Id, attacker.Id);
        Assert.NotEqual(victim.OrganisationId, attacker.OrganisationId);
        Assert.Equal(victim.OrganisationId, colleague.OrganisationId);
        Assert.Equal(victim.Id, victimAgain.Id);
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        Assert.Equal(2, await db.Organisations.CountAsync());
        Assert.Equal(3, await db.Leaders.CountAsync());
    }

    [Fact]
    public async Task Start_Fails_WhenAnAdminIsNamedByEmail()
    {
        await using var app = new WebAppFactory(settings: new() { ["Auth:Admins:0"] = "alice@contoso.example" });

        var error = Record.Exception(() => app.Server);

        Assert.NotNull(error);
        Assert.Contains("e-mail addresses name nobody", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task DevelopmentSignIn_FindsTheLeaderDeclaredWithoutATenant(string database)
    {
        await using var app = await AppAsync(database, new()
        {
            ["Onboarding:Leaders:0:Email"] = "dana@example.com",
            ["Onboarding:Leaders:0:DisplayName"] = "Dana",
        });
        Guid declared = default;
        await app.WithDbAsync(async db => declared = (await db.Leaders.SingleAsync()).Id);

        using var client = await app.SignInAsync("Dana@Example.com");
        var me = await client.GetStringAsync("/api/me");

        Assert.Contains(declared.ToString(), me, StringComparison.Ordinal);
    }

    private static SignInIdentity Microsoft(string tenant, string objectId, string email) =>
        new(AccountKey.Microsoft(tenant, objectId), OrganisationKeys.Microsoft(tenant), "contoso.example", email, null, null, RequestsAdmin: false);

    private async Task<WebAppFactory> AppAsync(string database, Dictionary<string, string?> settings)
    {
        settings["Jobs:Storage"] = "InMemory";
        settings["Jobs:RunWorker"] = "false";
        settings["Storage:Provider"] = database;
        if (database == "PostgreSql")
        {
            settings["Storage:ConnectionString"] = await postgres.CreateDatabaseAsync("etrap_identity");
        }

        var app = new WebAppFactory(settings: settings);
        _ = app.Server;
        return app;
    }
}
