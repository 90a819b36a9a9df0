using System.Security.Claims;

namespace ExecutionTrap.Web.Auth;

/// <summary>Names of the schemes, policies and claims the web app uses.</summary>
internal static class AuthSchemes
{
    public const string Smart = "ExecutionTrap";
    public const string Cookie = "Cookies";
    public const string ApiToken = "ApiToken";
    public const string Microsoft = "Microsoft";
    public const string Google = "Google";

    public const string LeaderPolicy = "Leader";
    public const string AdminPolicy = "Admin";

    /// <summary>The service's operators (Hangfire dashboard, health details): a role, not an organisation's admin.</summary>
    public const string OperatorPolicy = "Operator";

    public const string LeaderIdClaim = "et:leader";
    public const string OrganisationIdClaim = "et:organisation";
    public const string AdminRole = "admin";

    /// <summary>The people who run the service (Auth:Operators), not an organisation's admins.</summary>
    public const string OperatorRole = "operator";

    /// <summary>On an API token's principal: "read" or "write".</summary>
    public const string ApiScopeClaim = "et:scope";
    public const string ReadScope = "read";
    public const string WriteScope = "write";
}

internal static class PrincipalExtensions
{
    /// <summary>The signed-in leader; only called behind the Leader policy, which guarantees the claim.</summary>
    public static Guid LeaderId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(AuthSchemes.LeaderIdClaim) ?? throw new InvalidOperationException("No leader is signed in."));

    public static Guid OrganisationId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(AuthSchemes.OrganisationIdClaim) ?? throw new InvalidOperationException("No leader is signed in."));

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(AuthSchemes.AdminRole);

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(AuthSchemes.OperatorRole);

    public static bool IsLeader(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == AuthSchemes.LeaderIdClaim);
}
