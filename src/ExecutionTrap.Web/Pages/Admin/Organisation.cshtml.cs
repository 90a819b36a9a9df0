using ExecutionTrap.Web.Administration;
using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages.Admin;

internal sealed class OrganisationModel(OrganisationOverview overview) : PageModel
{
    public OrganisationPage? Overview { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Overview = await overview.BuildAsync(User.OrganisationId(), cancellationToken);
}
