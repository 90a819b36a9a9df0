using System.Text.Encodings.Web;
using ExecutionTrap.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Auth;

/// <summary>"Authorization: Bearer etk_…" for scripts, checked against the stored hashes.</summary>
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

        var leaderId = await tokens.FindLeaderAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (leaderId is null)
        {
            return AuthenticateResult.Fail("The API token is unknown or revoked.");
        }

        var leader = await db.Leaders.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leaderId, Context.RequestAborted);
        if (leader is null)
        {
            return AuthenticateResult.Fail("The API token's owner no longer exists.");
        }

        var principal = Accounts.PrincipalFor(leader, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
