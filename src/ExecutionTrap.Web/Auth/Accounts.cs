using System.Net.Mail;
using System.Security.Claims;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Onboarding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Auth;

/// <summary>
/// Who signed in, as the identity provider vouches for it: the account key (issuer + object id or subject) is
/// the person, the organisation key (tenant id or Workspace domain) the organisation boundary; the e-mail is
/// only where reports go.
/// </summary>
internal sealed record SignInIdentity(
    AccountKey Account,
    string OrganisationKey,
    string OrganisationName,
    string Email,
    string? DisplayName,
    string? JobTitle,
    bool RequestsAdmin);

/// <summary>Finds or creates the leader (and organisation) behind a sign-in, and builds the cookie's principal.</summary>
internal sealed class Accounts(ExecutionTrapDbContext db, Organisations organisations, IOptions<AuthOptions> auth, TimeProvider time)
{
    public async Task<Leader> SignInAsync(SignInIdentity identity, CancellationToken cancellationToken)
    {
        var email = ParseEmail(identity.Email);
        var key = identity.Account;
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.IdentityIssuer == key.Issuer && l.IdentitySubject == key.Subject, cancellationToken);
        if (leader is null && key.Issuer == AccountKey.LocalIssuer)
        {
            // A leader written without an account key (straight into the database, by a tool or a test) is a local
            // account; only local sign-ins (Development, configuration) reach here, never a provider's token.
            leader = await db.Leaders.Where(l => l.IdentityIssuer == null && l.Email == email).OrderBy(l => l.Id).FirstOrDefaultAsync(cancellationToken);
            if (leader is not null)
            {
                leader.IdentityIssuer = key.Issuer;
                leader.IdentitySubject = key.Subject;
            }
        }

        if (leader is null)
        {
            var organisation = await organisations.FindOrCreateAsync(identity.OrganisationKey, identity.OrganisationName, cancellationToken);
            leader = new Leader
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation.Id,
                Email = email,
                IdentityIssuer = key.Issuer,
                IdentitySubject = key.Subject,
                DisplayName = string.IsNullOrWhiteSpace(identity.DisplayName) ? email[..email.IndexOf('@', StringComparison.Ordinal)] : identity.DisplayName.Trim(),
                CreatedAt = Instant.FromDateTimeOffset(time.GetUtcNow()),
            };
            db.Leaders.Add(leader);
        }

        if (identity.JobTitle is { Length: > 0 } title)
        {
            leader.JobTitle = title.Length > 200 ? title[..200] : title;
        }

        // Rights come from configuration by tenant + object id, or from an admin's action on People; never from
        // an address. RequestsAdmin is the Development sign-in's tick box, which exists only in Development.
        if (identity.RequestsAdmin || key.IsNamedByAny(auth.Value.Admins))
        {
            leader.IsAdmin = true;
        }

        await db.SaveChangesAsync(cancellationToken);
        await ApplyRoleRulesAsync(leader, cancellationToken);
        return leader;
    }

    public static ClaimsPrincipal PrincipalFor(Leader leader, string authenticationType)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, leader.Id.ToString()),
                new Claim(ClaimTypes.Name, leader.DisplayName),
                new Claim(ClaimTypes.Email, leader.Email),
            ],
            authenticationType);
        return new ClaimsPrincipal(identity);
    }

    // A leader without an explicit role takes the first rule whose text is in their directory job title.
    private async Task ApplyRoleRulesAsync(Leader leader, CancellationToken cancellationToken)
    {
        if (leader.RoleId is not null || string.IsNullOrWhiteSpace(leader.JobTitle))
        {
            return;
        }

        var rules = await db.RoleRules.Where(r => r.OrganisationId == leader.OrganisationId).OrderBy(r => r.JobTitleContains).ToListAsync(cancellationToken);
        var match = rules.FirstOrDefault(r => leader.JobTitle.Contains(r.JobTitleContains, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            leader.RoleId = match.RoleId;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    internal static string ParseEmail(string email)
    {
        try
        {
            return new MailAddress(email.Trim()).Address.ToLowerInvariant();
        }
        catch (FormatException)
        {
            throw new OnboardingException($"'{email}' is not an e-mail address.");
        }
    }

    internal static string DomainOf(string email) => email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..];
}
