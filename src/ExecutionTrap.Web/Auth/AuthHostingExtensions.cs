using ExecutionTrap.Calendars.Google;
using ExecutionTrap.Calendars.Microsoft;
using ExecutionTrap.Web.Leaders;
using ExecutionTrap.Web.Administration;
using ExecutionTrap.Web.Corrections;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace ExecutionTrap.Web.Auth;

public static class AuthHostingExtensions
{
    /// <summary>Cookie sign-in for pages, bearer API tokens for scripts, OIDC providers when configured, the pages themselves.</summary>
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(AuthOptions.SectionName);

        // An old-style entry (a plain e-mail address) would bind to nothing and silently grant nothing: say so instead.
        var plain = new[] { nameof(AuthOptions.Admins), nameof(AuthOptions.Operators) }
            .SelectMany(list => section.GetSection(list).GetChildren())
            .FirstOrDefault(entry => !string.IsNullOrEmpty(entry.Value));
        const string EntryShape = "entries are { \"Tenant\": tenant id or Workspace domain, \"ObjectId\": object id (oid) or Google subject (sub) }; e-mail addresses name nobody.";
        builder.Services.AddOptionsWithValidateOnStart<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(_ => plain is null, $"{plain?.Path} is '{plain?.Value}': Auth:Admins and Auth:Operators {EntryShape}")
            .Validate(o => o.Admins.All(a => a.IsComplete) && o.Operators.All(a => a.IsComplete), $"Auth:Admins and Auth:Operators {EntryShape}");
        builder.Services.AddOptionsWithValidateOnStart<ApiTokenOptions>().BindConfiguration(ApiTokenOptions.SectionName).ValidateDataAnnotations();

        var options = section.Get<AuthOptions>() ?? new AuthOptions();
        if (options.DevelopmentSignIn == true && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Auth:DevelopmentSignIn lets anyone sign in as anyone; it runs only in the Development environment, not in '{builder.Environment.EnvironmentName}'. Remove the setting.");
        }

        if ((!options.Microsoft.RequireHttpsMetadata || !options.Google.RequireHttpsMetadata) && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"Auth:*:RequireHttpsMetadata=false reads the identity provider's keys over plain http; it is for a test provider on loopback in Development only, not in '{builder.Environment.EnvironmentName}'.");
        }

        // Secure cookies always, except for the local trial on http://localhost:5080, where they follow the request.
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        var auth = builder.Services.AddAuthentication(AuthSchemes.Smart)
            .AddPolicyScheme(AuthSchemes.Smart, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                ApiTokenAuthenticationHandler.Applies(context.Request) ? AuthSchemes.ApiToken : AuthSchemes.Cookie)
            .AddCookie(AuthSchemes.Cookie, o =>
            {
                o.Cookie.Name = "ExecutionTrap";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = secure;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.LoginPath = "/sign-in";
                o.AccessDeniedPath = "/access-denied";
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(AuthSchemes.ApiToken, null);
        // The sync refreshes the grant made at sign-in, so it must use the same client unless told otherwise.
        if (options.Microsoft.IsConfigured)
        {
            OidcSignIn.AddMicrosoft(auth, options.Microsoft);
            builder.Services.PostConfigure<MicrosoftCalendarOptions>(o =>
            {
                o.ClientId ??= options.Microsoft.ClientId;
                o.ClientSecret ??= options.Microsoft.ClientSecret;
            });
        }

        if (options.Google.IsConfigured)
        {
            OidcSignIn.AddGoogle(auth, options.Google);
            builder.Services.PostConfigure<GoogleCalendarOptions>(o =>
            {
                o.ClientId ??= options.Google.ClientId;
                o.ClientSecret ??= options.Google.ClientSecret;
            });
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthSchemes.LeaderPolicy, p => p.RequireAuthenticatedUser().RequireClaim(AuthSchemes.LeaderIdClaim).RequireClaim(AuthSchemes.OrganisationIdClaim))
            .AddPolicy(AuthSchemes.AdminPolicy, p => p.RequireAuthenticatedUser().RequireClaim(AuthSchemes.LeaderIdClaim).RequireRole(AuthSchemes.AdminRole))
            // The service's operators, never an organisation's admin, and only through the signed-in cookie: an API token never carries it.
            .AddPolicy(AuthSchemes.OperatorPolicy, p => p.AddAuthenticationSchemes(AuthSchemes.Cookie).RequireAuthenticatedUser().RequireRole(AuthSchemes.OperatorRole))
            // Every endpoint needs a signed-in leader unless it says otherwise, so a new endpoint is closed by default.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(AuthSchemes.LeaderIdClaim).Build());

        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ExecutionTrap.Antiforgery";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", AuthSchemes.LeaderPolicy);
            o.Conventions.AuthorizeFolder("/Admin", AuthSchemes.AdminPolicy);
            o.Conventions.AllowAnonymousToPage("/Index");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/AccessDenied");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToPage("/Dev/SignIn");
            o.Conventions.AddPageRoute("/SignIn", "/sign-in");
            o.Conventions.AddPageRoute("/AccessDenied", "/access-denied");
            o.Conventions.AddPageRoute("/Dev/SignIn", "/dev/sign-in");
            o.Conventions.AddPageRoute("/MyData", "/my-data");
            if (!DevelopmentSignInEnabled(options, builder.Environment))
            {
                // Not merely refused: the page has no route at all outside Development.
                o.Conventions.AddPageRouteModelConvention("/Dev/SignIn", model => model.Selectors.Clear());
            }
        });
        builder.Services.Configure<RouteOptions>(o => o.LowercaseUrls = true);
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();

        builder.Services.AddHttpClient(GrantRevocation.HttpClientName).AddStandardResilienceHandler();
        builder.Services.AddScoped<GrantRevocation>();
        builder.Services.AddScoped<Accounts>();
        builder.Services.AddScoped<Organisations>();
        builder.Services.AddScoped<ApiTokens>();
        builder.Services.AddScoped<ConnectOnce>();
        builder.Services.AddScoped<IClaimsTransformation, LeaderClaimsTransformation>();
        builder.Services.AddScoped<LeaderConnections>();
        builder.Services.AddScoped<LeaderData>();
        builder.Services.AddScoped<LeaderSettings>();
        builder.Services.AddScoped<WeekView>();
        builder.Services.AddScoped<CategoryCorrections>();
        builder.Services.AddScoped<RoleAdministration>();
        builder.Services.AddScoped<OrganisationOverview>();
        builder.Services.AddScoped<SyncHealth>();
        return builder;
    }

    /// <summary>Security headers, static files, authentication, authorization and anti-forgery, in that order.</summary>
    public static WebApplication UseAuth(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseStateChangeGuard();
        app.UseAntiforgery();
        app.MapAuthEndpoints();
        // The API description is for signed-in people writing scripts, not for the internet to map the service.
        app.MapOpenApi().RequireAuthorization(AuthSchemes.LeaderPolicy);
        return app;
    }

    internal static bool DevelopmentSignInEnabled(AuthOptions options, IHostEnvironment environment) =>
        environment.IsDevelopment() && options.DevelopmentSignIn != false;

    private static Task ApiAware(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
