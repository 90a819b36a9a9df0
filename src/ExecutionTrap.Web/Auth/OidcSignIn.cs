using System.Security.Claims;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Web.Onboarding;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExecutionTrap.Web.Auth;

/// <summary>OpenID Connect with Microsoft and Google, each registered only when its client id is configured.</summary>
internal static partial class OidcSignIn
{
    /// <summary>Set by the challenge when a signed-in leader asked to connect their calendar again: their leader id.</summary>
    public const string ConnectCalendarItem = "et:connect-calendar";

    private const string MicrosoftIssuer = "https://login.microsoftonline.com/{tenantid}/v2.0";
    private const string GoogleIssuer = "https://accounts.google.com";

    private static readonly string[] MicrosoftScopes = ["openid", "profile", "email", "offline_access", "User.Read", "Calendars.Read"];
    private static readonly string[] GoogleScopes = ["openid", "profile", "email", "https://www.googleapis.com/auth/calendar.events.readonly"];

    public static void AddMicrosoft(AuthenticationBuilder auth, OidcProviderOptions provider) =>
        auth.AddOpenIdConnect(AuthSchemes.Microsoft, "Microsoft", o =>
        {
            Configure(o, provider, provider.Authority ?? $"https://login.microsoftonline.com/{provider.Tenant}/v2.0", "/signin-microsoft", MicrosoftScopes);

            // A multi-tenant authority lists "{tenantid}" in its issuer: accept the issuer of the token's own tenant only.
            // A validator of our own also stops the handler from trusting whatever issuer the metadata names.
            var template = provider.Issuer ?? MicrosoftIssuer;
            o.TokenValidationParameters.IssuerValidator = (issuer, token, _) =>
            {
                var tenant = token is JsonWebToken jwt && jwt.TryGetPayloadValue<string>("tid", out var tid) ? tid : null;
                return tenant is not null && string.Equals(issuer, template.Replace("{tenantid}", tenant, StringComparison.OrdinalIgnoreCase), StringComparison.Ordinal)
                    ? issuer
                    : throw new SecurityTokenInvalidIssuerException("The token's issuer is not the trusted issuer of its own tenant.");
            };
            o.Events.OnTokenValidated = context => CheckAsync(context, CalendarProvider.Microsoft);
        });

    public static void AddGoogle(AuthenticationBuilder auth, OidcProviderOptions provider) =>
        auth.AddOpenIdConnect(AuthSchemes.Google, "Google", o =>
        {
            Configure(o, provider, provider.Authority ?? GoogleIssuer, "/signin-google", GoogleScopes);

            // Google's tokens carry either form of its issuer; a configured issuer is the only one.
            string[] trusted = provider.Issuer is { Length: > 0 } issuer ? [issuer] : [GoogleIssuer, "accounts.google.com"];
            o.TokenValidationParameters.IssuerValidator = (issuer, _, _) => trusted.Contains(issuer, StringComparer.Ordinal)
                ? issuer
                : throw new SecurityTokenInvalidIssuerException("The token's issuer is not the trusted Google issuer.");

            // Google sends a refresh token only with offline access, and again only when consent is asked.
            o.AdditionalAuthorizationParameters["access_type"] = "offline";
            o.AdditionalAuthorizationParameters["prompt"] = "consent";
            o.Events.OnTokenValidated = context => CheckAsync(context, CalendarProvider.Google);
        });

    private static void Configure(OpenIdConnectOptions o, OidcProviderOptions provider, string authority, string callbackPath, string[] scopes)
    {
        o.Authority = authority;
        o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
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

        o.Events.OnTicketReceived = CompleteAsync;
        o.Events.OnRemoteFailure = RefusedAsync;
    }

    // Only checks, no effect: in the code flow the handler checks the nonce (and the rest of the protocol) AFTER this
    // event, so nothing may be created here — a callback with a foreign nonce would otherwise still make an account.
    private static Task CheckAsync(TokenValidatedContext context, CalendarProvider provider)
    {
        var claims = context.Principal ?? throw new InvalidOperationException("The provider sent no identity.");
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        var identity = provider == CalendarProvider.Microsoft ? MicrosoftIdentity(claims) : GoogleIdentity(claims);
        if (identity.Refusal is { } refusal)
        {
            context.Fail(refusal);
            return Task.CompletedTask;
        }

        var account = identity.Account!;
        if (!options.TenantAllowed(account.Tenant))
        {
            context.Fail(new SignInRefusedException(SignInRefusal.TenantNotAllowed, $"Tenant '{account.Tenant}' is not in Auth:AllowedTenants."));
            return Task.CompletedTask;
        }

        string email;
        try
        {
            email = Accounts.ParseEmail(identity.Email!);
        }
        catch (OnboardingException e)
        {
            context.Fail(new SignInRefusedException(SignInRefusal.NoEmail, e.Message));
            return Task.CompletedTask;
        }

        var signIn = new SignInIdentity(
            account,
            provider == CalendarProvider.Microsoft ? OrganisationKeys.Microsoft(account.Tenant) : OrganisationKeys.Google(account.Tenant),
            provider == CalendarProvider.Microsoft ? Accounts.DomainOf(email) : account.Tenant,
            email,
            claims.FindFirstValue("name"),
            claims.FindFirstValue("jobTitle"),
            RequestsAdmin: false);
        context.HttpContext.Items[typeof(PendingSignIn)] = new PendingSignIn(provider, signIn, context.TokenEndpointResponse?.RefreshToken);
        return Task.CompletedTask;
    }

    // Everything was validated (signature, issuer, state, nonce, code): make them a leader of the organisation of
    // their tenant (Microsoft) or Workspace domain (Google), connect their calendar with the same grant, and put
    // our own principal in the cookie.
    private static async Task CompleteAsync(TicketReceivedContext context)
    {
        if (context.HttpContext.Items[typeof(PendingSignIn)] is not PendingSignIn pending)
        {
            context.Fail(new SignInRefusedException(SignInRefusal.Failed, "The sign-in was not checked."));
            return;
        }

        var services = context.HttpContext.RequestServices;
        var cancellationToken = context.HttpContext.RequestAborted;
        var leader = await services.GetRequiredService<Accounts>().SignInAsync(pending.Identity, cancellationToken);
        if (pending.RefreshToken is { Length: > 0 } refreshToken)
        {
            // A calendar the leader disconnected stays disconnected unless this sign-in is the leader asking for it back.
            var asked = context.Properties?.Items.TryGetValue(ConnectCalendarItem, out var askedBy) == true
                && string.Equals(askedBy, leader.Id.ToString(), StringComparison.Ordinal);
            var address = pending.Provider == CalendarProvider.Microsoft ? leader.Email : "primary";
            await services.GetRequiredService<ConnectOnce>().ConnectAsync(leader.Id, pending.Provider, address, refreshToken, asked, cancellationToken);
        }

        context.Principal = Accounts.PrincipalFor(leader, AuthSchemes.Cookie);
    }

    // Microsoft: the person is the object id in the tenant; the e-mail claim is whatever the tenant says and proves nothing.
    private static ProviderIdentity MicrosoftIdentity(ClaimsPrincipal claims)
    {
        var tenant = claims.FindFirstValue("tid");
        var objectId = claims.FindFirstValue("oid");
        var email = claims.FindFirstValue("email") ?? claims.FindFirstValue("preferred_username");
        if (string.IsNullOrWhiteSpace(tenant) || string.IsNullOrWhiteSpace(objectId))
        {
            return ProviderIdentity.Refused(SignInRefusal.NoTenant, "Microsoft sent no tenant id or object id.");
        }

        return string.IsNullOrWhiteSpace(email)
            ? ProviderIdentity.Refused(SignInRefusal.NoEmail, "Microsoft sent no e-mail address.")
            : new ProviderIdentity(AccountKey.Microsoft(tenant, objectId), email, null);
    }

    // Google: Workspace accounts only (hd), with an address Google has verified. A personal account has no
    // organisation to belong to and nobody who administers it; a one-person organisation would give any
    // Gmail holder the product (and its calendar fetching) without a company behind it, so it is refused.
    private static ProviderIdentity GoogleIdentity(ClaimsPrincipal claims)
    {
        var domain = claims.FindFirstValue("hd");
        var subject = claims.FindFirstValue("sub");
        var email = claims.FindFirstValue("email");
        if (string.IsNullOrWhiteSpace(domain) || string.IsNullOrWhiteSpace(subject))
        {
            return ProviderIdentity.Refused(SignInRefusal.PersonalGoogleAccount, "Google sent no Workspace domain (hd): a personal account.");
        }

        if (!string.Equals(claims.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return ProviderIdentity.Refused(SignInRefusal.UnverifiedEmail, "Google has not verified the account's e-mail address.");
        }

        return string.IsNullOrWhiteSpace(email)
            ? ProviderIdentity.Refused(SignInRefusal.NoEmail, "Google sent no e-mail address.")
            : new ProviderIdentity(AccountKey.Google(domain, subject), email, null);
    }

    // Every refusal and every failed callback (wrong issuer, replayed state, nonce, a code already used) ends on
    // the sign-in page with a reason from a fixed list; the detail goes to the operator's log.
    private static Task RefusedAsync(RemoteFailureContext context)
    {
        var refusal = context.Failure is SignInRefusedException refused ? refused.Refusal : SignInRefusal.Failed;
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn).FullName!);
        LogRefused(logger, context.Scheme.Name, SignInRefusals.Code(refusal), context.Failure?.Message ?? "");
        context.Response.Redirect($"/sign-in?error={SignInRefusals.Code(refusal)}");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in with {Scheme} refused ({Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string scheme, string reason, string detail);

    private sealed record PendingSignIn(CalendarProvider Provider, SignInIdentity Identity, string? RefreshToken);

    private sealed record ProviderIdentity(AccountKey? Account, string? Email, SignInRefusedException? Refusal)
    {
        public static ProviderIdentity Refused(SignInRefusal refusal, string detail) => new(null, null, new SignInRefusedException(refusal, detail));
    }
}

internal enum SignInRefusal
{
    Failed,
    NoTenant,
    NoEmail,
    PersonalGoogleAccount,
    UnverifiedEmail,
    TenantNotAllowed,
}

/// <summary>The reasons the sign-in page can show, by the code in its query string.</summary>
internal static class SignInRefusals
{
    public static string Code(SignInRefusal refusal) => refusal switch
    {
        SignInRefusal.NoTenant => "no-tenant",
        SignInRefusal.NoEmail => "no-email",
        SignInRefusal.PersonalGoogleAccount => "personal-google-account",
        SignInRefusal.UnverifiedEmail => "unverified-email",
        SignInRefusal.TenantNotAllowed => "tenant-not-allowed",
        _ => "failed",
    };

    public static string? Message(string? code) => code switch
    {
        null or "" => null,
        "no-tenant" => "Microsoft did not say which organisation your account belongs to. Sign in with a work account.",
        "no-email" => "Your account has no e-mail address to send your weekly report to.",
        "personal-google-account" => "Sign in with a Google Workspace (company) account; personal Google accounts belong to no organisation.",
        "unverified-email" => "Google has not verified your account's e-mail address, so it cannot be used to sign in.",
        "tenant-not-allowed" => "Your organisation is not allowed to sign in to this service. Ask your administrator.",
        _ => "The sign-in could not be completed. Start again from this page.",
    };
}

internal sealed class SignInRefusedException : Exception
{
    public SignInRefusedException(SignInRefusal refusal, string message)
        : base(message) => Refusal = refusal;

    public SignInRefusedException()
    {
    }

    public SignInRefusedException(string message)
        : base(message)
    {
    }

    public SignInRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SignInRefusal Refusal { get; }
}
