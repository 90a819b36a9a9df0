using System.Text.Json;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Leaders;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages;

internal sealed class MyDataModel(LeaderData data) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<IActionResult> OnPostExportAsync(CancellationToken cancellationToken)
    {
        var export = await data.ExportAsync(User.LeaderId(), cancellationToken);
        return export is null
            ? NotFound()
            : File(JsonSerializer.SerializeToUtf8Bytes(export, Indented), "application/json", "executiontrap-my-data.json");
    }

    public async Task<IActionResult> OnPostDeleteAsync(bool confirm, CancellationToken cancellationToken)
    {
        if (!confirm)
        {
            TempData["Message"] = "Tick the box to confirm the deletion.";
            return RedirectToPage();
        }

        await data.DeleteAsync(User.LeaderId(), cancellationToken);
        await HttpContext.SignOutAsync(AuthSchemes.Cookie);
        return LocalRedirect("/sign-in");
    }
}
