using System.Net.Mail;
using System.Security.Claims;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Onboarding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Auth;

/// <summary>Who signed in, as the identity provider vouches for it; the organisation key (Microsoft tenant id or Workspace domain) is the organisation boundary.</summary>
internal sealed record SignInIdentity(string Email, string? DisplayName, string OrganisationKey, string OrganisationName, string? JobTitle, bool RequestsAdmin);

/// <summary>Finds or creates the leader (and organisation) behind a sign-in, and builds the cookie's principal.</summary>
internal sealed class Accounts(ExecutionTrapDbContext db, IOptions<AuthOptions> auth, IOptions<OnboardingOptions> onboarding, TimeProvider time)
{
    public async Task<Leader> SignInAsync(SignInIdentity identity, CancellationToken cancellationToken)
    {
        var email = ParseEmail(identity.Email);
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.Email == email, cancellationToken);
        if (leader is null)
        {
            var organisation = await EnsureOrganisationAsync(identity, cancellationToken);
            leader = new Leader
            {
                Id = Guid.NewGuid(),
                OrganisationId = organisation.Id,
                Email = email,
                DisplayName = string.IsNullOrWhiteSpace(identity.DisplayName) ? email[..email.IndexOf('@', StringComparison.Ordinal)] : identity.DisplayName.Trim(),
                CreatedAt = Instant.FromDateTimeOffset(time.GetUtcNow()),
            };
            db.Leaders.Add(leader);
        }

        if (identity.JobTitle is { Length: > 0 } title)
        {
            leader.JobTitle = title.Length > 200 ? title[..200] : title;
        }

        if (identity.RequestsAdmin || auth.Value.Admins.Any(a => string.Equals(a.Trim(), email, StringComparison.OrdinalIgnoreCase)))
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

    private async Task<Organisation> EnsureOrganisationAsync(SignInIdentity identity, CancellationToken cancellationToken)
    {
        var key = identity.OrganisationKey.Trim().ToLowerInvariant();
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Domain == key, cancellationToken);
        if (organisation is not null)
        {
            return organisation;
        }

        organisation = new Organisation { Id = Guid.NewGuid(), Name = identity.OrganisationName, Domain = key };
        organisation.Roles.Add(new RoleEntity
        {
            Id = Guid.NewGuid(),
            Name = onboarding.Value.DefaultRoleName,
            TargetExecutionScore = onboarding.Value.DefaultRoleTarget,
            IsDefault = true,
        });
        db.Organisations.Add(organisation);
        return organisation;
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
}
