using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Pages;

internal sealed class SignInModel(IOptions<AuthOptions> options, IHostEnvironment environment) : PageModel
{
    public bool Microsoft => options.Value.Microsoft.IsConfigured;

    public bool Google => options.Value.Google.IsConfigured;

    public bool Development => AuthHostingExtensions.DevelopmentSignInEnabled(options.Value, environment);

    public string ReturnUrl { get; private set; } = ReturnUrls.Home;

    /// <summary>Why the last sign-in was refused, from a fixed list (never text from the query string).</summary>
    public string? Error { get; private set; }

    public void OnGet(string? returnUrl, string? error)
    {
        ReturnUrl = ReturnUrls.Safe(returnUrl);
        Error = SignInRefusals.Message(error);
    }
}
