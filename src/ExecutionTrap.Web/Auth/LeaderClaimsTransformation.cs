using System.Security.Claims;
using ExecutionTrap.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Auth;

/// <summary>
/// Reads the leader's organisation and admin flag from the database on every request, so a promotion,
/// a demotion or a deleted account takes effect at once rather than when the cookie expires; adds the
/// roles configuration gives by tenant + object id (Auth:Admins, Auth:Operators).
/// </summary>
internal sealed class LeaderClaimsTransformation(ExecutionTrapDbContext db, IOptionsMonitor<AuthOptions> options) : IClaimsTransformation
{
    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.IsLeader()
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var leaderId))
        {
            return principal;
        }

        var leader = await db.Leaders.AsNoTracking()
            .Where(l => l.Id == leaderId)
            .Select(l => new { l.OrganisationId, l.IsAdmin, l.IdentityIssuer, l.IdentitySubject })
            .SingleOrDefaultAsync();
        if (leader is null)
        {
            // The account was deleted: the old cookie or token no longer names anyone.
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        var identity = new ClaimsIdentity(principal.Identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaims(principal.Claims);
        identity.AddClaim(new Claim(AuthSchemes.LeaderIdClaim, leaderId.ToString()));
        identity.AddClaim(new Claim(AuthSchemes.OrganisationIdClaim, leader.OrganisationId.ToString()));
        var account = leader is { IdentityIssuer: { } issuer, IdentitySubject: { } subject } ? new AccountKey(issuer, subject) : null;
        var auth = options.CurrentValue;
        if ((leader.IsAdmin || account?.IsNamedByAny(auth.Admins) == true) && !identity.HasClaim(ClaimTypes.Role, AuthSchemes.AdminRole))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, AuthSchemes.AdminRole));
        }

        if (account?.IsNamedByAny(auth.Operators) == true && !identity.HasClaim(ClaimTypes.Role, AuthSchemes.OperatorRole))
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, AuthSchemes.OperatorRole));
        }

        return new ClaimsPrincipal(identity);
    }
}
