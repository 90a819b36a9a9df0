using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Corrections;
using ExecutionTrap.Web.Leaders;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages;

internal sealed class WeekModel(WeekView weeks, CategoryCorrections corrections) : PageModel
{
    public WeekPage? Week { get; private set; }

    public string VerdictText => Week?.Verdict switch
    {
        "OnTarget" => "on target",
        "Drifting" => "drifting towards the target",
        "Trapped" => "trapped in execution",
        _ => "",
    };

    public async Task<IActionResult> OnGetAsync(string? week, CancellationToken cancellationToken)
    {
        IsoWeek? requested = null;
        if (week is not null)
        {
            if (!IsoWeek.TryParse(week, out var parsed))
            {
                TempData["Message"] = $"'{week}' is not an ISO week such as 2026-W47; showing this week.";
                return RedirectToPage();
            }

            requested = parsed;
        }

        Week = await weeks.BuildAsync(User.LeaderId(), requested, cancellationToken);
        return Week is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostCorrectAsync(long meetingId, string? category, bool wholeSeries, string? week, CancellationToken cancellationToken)
    {
        if (!Labels.TryParseCategory(category, out var parsed))
        {
            TempData["Message"] = $"'{category}' is not a category.";
        }
        else
        {
            var changed = await corrections.CorrectAsync(User.LeaderId(), meetingId, parsed, wholeSeries, cancellationToken);
            if (changed == 0)
            {
                return NotFound();
            }

            TempData["Message"] = changed == 1 ? "Category saved." : $"Category saved for {changed} meetings of the series.";
        }

        return IsoWeek.TryParse(week, out var w) ? Redirect($"/week?week={w}") : RedirectToPage();
    }
}
