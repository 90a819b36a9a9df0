using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages.Admin;

internal sealed class ModelsModel(ModelVersions versions, IBackgroundJobClient jobs) : PageModel
{
    public IReadOnlyList<ModelVersionSummary> Versions { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Versions = await versions.ListAsync(User.OrganisationId(), cancellationToken);

    public IActionResult OnPostRetrain()
    {
        var organisationId = User.OrganisationId();
        jobs.Enqueue<RetrainModelJob>(job => job.RunAsync(organisationId, CancellationToken.None));
        TempData["Message"] = "Retraining queued; a new version appears here only if it is not worse than the current one.";
        return RedirectToPage();
    }

    // The classifier cache keys each organisation's model by the active version's id, so the next
    // classification loads the version now active without an explicit refresh.
    public async Task<IActionResult> OnPostRollBackAsync(CancellationToken cancellationToken)
    {
        var active = await versions.RollBackAsync(User.OrganisationId(), cancellationToken);
        if (active is not { } version)
        {
            Error = "The organisation already uses the built-in model; there is nothing to roll back.";
            await OnGetAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = version == 0 ? "Rolled back to the built-in model." : $"Rolled back to version {version}.";
        return RedirectToPage();
    }
}
