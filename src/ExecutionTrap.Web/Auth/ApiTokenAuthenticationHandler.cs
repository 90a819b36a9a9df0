using System.Security.Claims;
using System.Text.Encodings.Web;
using ExecutionTrap.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Auth;

/// <summary>
/// "Authorization: Bearer etk_…" for scripts, checked against the stored hashes. Only the API takes a
/// token (see <see cref="Applies"/>): pages, the jobs dashboard and the token endpoints themselves need
/// the signed-in cookie, so a leaked token can neither browse as its owner nor mint itself successors.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokens tokens,
    ExecutionTrapDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var holder = await tokens.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (holder is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, revoked or expired.");
        }

        var leader = await db.Leaders.AsNoTracking().SingleOrDefaultAsync(l => l.Id == holder.LeaderId, Context.RequestAborted);
        if (leader is null)
        {
            return AuthenticateResult.Fail("The API token's owner no longer exists.");
        }

        var principal = Accounts.PrincipalFor(leader, Scheme.Name);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(AuthSchemes.ApiScopeClaim, holder.CanWrite ? AuthSchemes.WriteScope : AuthSchemes.ReadScope));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    /// <summary>Whether a request is one a bearer token may authenticate: the API, except the token endpoints.</summary>
    public static bool Applies(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && request.Path.StartsWithSegments("/api")
        && !request.Path.StartsWithSegments("/api/me/tokens");

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
