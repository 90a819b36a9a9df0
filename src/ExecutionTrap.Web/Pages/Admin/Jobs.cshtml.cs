using ExecutionTrap.Web.Administration;
using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages.Admin;

internal sealed class JobsModel(SyncHealth health) : PageModel
{
    public SyncHealthSummary? Summary { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Summary = await health.BuildAsync(User.OrganisationId(), cancellationToken);
}
