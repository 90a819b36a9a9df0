using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages;

internal sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(User.IsLeader() ? ReturnUrls.Home : "/sign-in");
}
