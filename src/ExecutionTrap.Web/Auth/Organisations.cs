using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Onboarding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Auth;

/// <summary>Finds or creates an organisation by its key (see <see cref="OrganisationKeys"/>); the only place organisations are made.</summary>
internal sealed class Organisations(ExecutionTrapDbContext db, IOptions<OnboardingOptions> onboarding)
{
    /// <summary>The organisation with this key, or a new one (with the default role) added to the context, unsaved.</summary>
    public async Task<Organisation> FindOrCreateAsync(string key, string name, CancellationToken cancellationToken)
    {
        var organisation = db.Organisations.Local.SingleOrDefault(o => o.Domain == key)
            ?? await db.Organisations.SingleOrDefaultAsync(o => o.Domain == key, cancellationToken);
        if (organisation is not null)
        {
            return organisation;
        }

        organisation = new Organisation { Id = Guid.NewGuid(), Name = name.Length > 200 ? name[..200] : name, Domain = key };
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
}
