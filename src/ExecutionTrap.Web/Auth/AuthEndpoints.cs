using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Auth;

internal static class AuthEndpoints
{
    public static WebApplication MapAuthEndpoints(this WebApplication app)
    {
        // A link, not a form: the redirect to the provider must not be a form submission, which the
        // content security policy's form-action 'self' would stop.
        app.MapGet("/sign-in/{provider}", Challenge).AllowAnonymous();
        app.MapPost("/sign-out", (Delegate)SignOutAsync).RequireAuthorization(AuthSchemes.LeaderPolicy);
        return app;
    }

    private static IResult Challenge(string provider, [FromQuery] string? returnUrl, [FromQuery] string? connect, HttpContext context, IOptions<AuthOptions> options)
    {
        var scheme = provider.ToLowerInvariant() switch
        {
            "microsoft" when options.Value.Microsoft.IsConfigured => AuthSchemes.Microsoft,
            "google" when options.Value.Google.IsConfigured => AuthSchemes.Google,
            _ => null,
        };
        if (scheme is null)
        {
            return Results.NotFound();
        }

        var properties = new AuthenticationProperties { RedirectUri = ReturnUrls.Safe(returnUrl) };
        if (connect == "calendar" && context.User.IsLeader())
        {
            // Only the signed-in leader's own request brings back a calendar they disconnected (see ConnectOnce).
            properties.Items[OidcSignIn.ConnectCalendarItem] = context.User.LeaderId().ToString();
        }

        return Results.Challenge(properties, [scheme]);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(AuthSchemes.Cookie);
        return Results.LocalRedirect("/");
    }
}
