using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Leaders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using NodaTime;

namespace ExecutionTrap.Web.Pages;

internal sealed class SettingsModel(LeaderSettings settings) : PageModel
{
    [BindProperty]
    public ReportSettings Settings { get; set; } = new();

    public IEnumerable<string> TimeZones => settings.TimeZones;

    public static IEnumerable<SelectListItem> Days =>
        Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new SelectListItem(d.ToString(), d.ToString()));

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Settings = await settings.GetAsync(User.LeaderId(), cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var errors = await settings.SaveAsync(User.LeaderId(), Settings, cancellationToken);
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                ModelState.AddModelError($"{nameof(Settings)}.{field}", message);
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        TempData["Message"] = "Settings saved.";
        return RedirectToPage();
    }
}
