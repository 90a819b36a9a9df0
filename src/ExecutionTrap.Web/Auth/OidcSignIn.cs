using System.Security.Claims;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Web.Onboarding;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExecutionTrap.Web.Auth;

/// <summary>OpenID Connect with Microsoft and Google, each registered only when its client id is configured.</summary>
internal static class OidcSignIn
{
    private static readonly string[] MicrosoftScopes = ["openid", "profile", "email", "offline_access", "User.Read", "Calendars.Read"];
    private static readonly string[] GoogleScopes = ["openid", "profile", "email", "https://www.googleapis.com/auth/calendar.events.readonly"];

    public static void AddMicrosoft(AuthenticationBuilder auth, OidcProviderOptions provider) =>
        auth.AddOpenIdConnect(AuthSchemes.Microsoft, "Microsoft", o =>
        {
            Configure(o, provider, $"https://login.microsoftonline.com/{provider.Tenant}/v2.0", "/signin-microsoft", MicrosoftScopes);

            // A multi-tenant authority lists "{tenantid}" in its issuer: accept the issuer of the token's own tenant only.
            o.TokenValidationParameters.IssuerValidator = (issuer, token, _) =>
            {
                var tenant = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
                return tenant is not null && string.Equals(issuer, $"https://login.microsoftonline.com/{tenant}/v2.0", StringComparison.Ordinal)
                    ? issuer
                    : throw new SecurityTokenInvalidIssuerException("The token's issuer is not its own tenant.");
            };
            o.Events.OnTokenValidated = context => CompleteAsync(context, CalendarProvider.Microsoft);
        });

    public static void AddGoogle(AuthenticationBuilder auth, OidcProviderOptions provider) =>
        auth.AddOpenIdConnect(AuthSchemes.Google, "Google", o =>
        {
            Configure(o, provider, "https://accounts.google.com", "/signin-google", GoogleScopes);

            // Google sends a refresh token only with offline access, and again only when consent is asked.
            o.AdditionalAuthorizationParameters["access_type"] = "offline";
            o.AdditionalAuthorizationParameters["prompt"] = "consent";
            o.Events.OnTokenValidated = context => CompleteAsync(context, CalendarProvider.Google);
        });

    private static void Configure(OpenIdConnectOptions o, OidcProviderOptions provider, string authority, string callbackPath, string[] scopes)
    {
        o.Authority = authority;
        o.ClientId = provider.ClientId;
        o.ClientSecret = provider.ClientSecret;
        o.ResponseType = "code";
        o.UsePkce = true;
        o.CallbackPath = callbackPath;
        o.SignInScheme = AuthSchemes.Cookie;
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.Scope.Clear();
        foreach (var scope in scopes)
        {
            o.Scope.Add(scope);
        }
    }

    // The provider vouched for the person: make them a leader of the organisation of their tenant
    // (Microsoft) or Workspace domain (Google), connect their calendar with the same grant, and put
    // our own principal in the cookie.
    private static async Task CompleteAsync(TokenValidatedContext context, CalendarProvider provider)
    {
        var claims = context.Principal ?? throw new InvalidOperationException("The provider sent no identity.");
        var email = claims.FindFirstValue("email") ?? claims.FindFirstValue("preferred_username");
        string? organisationKey = provider == CalendarProvider.Microsoft ? claims.FindFirstValue("tid") : claims.FindFirstValue("hd");
        if (email is null || organisationKey is null)
        {
            context.Fail(provider == CalendarProvider.Google
                ? "Sign in with a Google Workspace account; personal Google accounts belong to no organisation."
                : "Microsoft sent no e-mail address or tenant for this account.");
            return;
        }

        var services = context.HttpContext.RequestServices;
        var cancellationToken = context.HttpContext.RequestAborted;
        try
        {
            var domain = email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..];
            var identity = new SignInIdentity(email, claims.FindFirstValue("name"), organisationKey, domain, claims.FindFirstValue("jobTitle"), RequestsAdmin: false);
            var leader = await services.GetRequiredService<Accounts>().SignInAsync(identity, cancellationToken);
            if (context.TokenEndpointResponse?.RefreshToken is { Length: > 0 } refreshToken)
            {
                var address = provider == CalendarProvider.Microsoft ? leader.Email : "primary";
                await services.GetRequiredService<ConnectOnce>().ConnectAsync(leader.Id, provider, address, refreshToken, cancellationToken);
            }

            context.Principal = Accounts.PrincipalFor(leader, AuthSchemes.Cookie);
        }
        catch (OnboardingException e)
        {
            context.Fail(e.Message);
        }
    }
}
