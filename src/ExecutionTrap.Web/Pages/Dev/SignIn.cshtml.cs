using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Onboarding;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages.Dev;

/// <summary>Signs anyone in by e-mail alone; routed only in the Development environment (see AddAuth).</summary>
internal sealed class SignInModel(Accounts accounts) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = "";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public bool Admin { get; set; }

    /// <summary>An operator of the service (jobs dashboard, health details), for trying those locally and in tests.</summary>
    [BindProperty]
    public bool Operator { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet() => ReturnUrl = ReturnUrls.Safe(ReturnUrl);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The "local" issuer: the same account and organisation as a leader declared in configuration without a tenant.
            var email = Accounts.ParseEmail(Email);
            var domain = Accounts.DomainOf(email);
            var identity = new SignInIdentity(AccountKey.Local(email), OrganisationKeys.Local(domain), domain, email, Name, null, Admin);
            var leader = await accounts.SignInAsync(identity, cancellationToken);
            var principal = Accounts.PrincipalFor(leader, AuthSchemes.Cookie);
            if (Operator)
            {
                ((System.Security.Claims.ClaimsIdentity)principal.Identity!).AddClaim(
                    new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, AuthSchemes.OperatorRole));
            }

            await HttpContext.SignInAsync(AuthSchemes.Cookie, principal);
            return LocalRedirect(ReturnUrls.Safe(ReturnUrl));
        }
        catch (OnboardingException e)
        {
            Error = e.Message;
            return Page();
        }
    }
}
