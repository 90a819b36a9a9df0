using ExecutionTrap.Web.Administration;
using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages.Admin;

internal sealed class PeopleModel(RoleAdministration roles) : PageModel
{
    public IReadOnlyList<LeaderRoleView> Leaders { get; private set; } = [];

    public IReadOnlyList<RoleView> Roles { get; private set; } = [];

    public IReadOnlyList<RoleRuleView> Rules { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var organisationId = User.OrganisationId();
        Leaders = await roles.ListLeadersAsync(organisationId, cancellationToken);
        Roles = await roles.ListRolesAsync(organisationId, cancellationToken);
        Rules = await roles.ListRulesAsync(organisationId, cancellationToken);
    }

    public Task<IActionResult> OnPostAssignAsync(Guid leaderId, Guid? roleId, CancellationToken cancellationToken) =>
        Refusable(async () => await roles.AssignRoleAsync(User.OrganisationId(), leaderId, roleId, cancellationToken) ? "Role assigned." : null, cancellationToken);

    public Task<IActionResult> OnPostAdminAsync(Guid leaderId, bool isAdmin, CancellationToken cancellationToken) =>
        Refusable(async () => await roles.SetAdminAsync(User.OrganisationId(), User.LeaderId(), leaderId, isAdmin, cancellationToken) ? "Admin rights changed." : null, cancellationToken);

    public Task<IActionResult> OnPostAddRuleAsync(string? jobTitleContains, Guid roleId, CancellationToken cancellationToken) =>
        Refusable(async () =>
        {
            await roles.AddRuleAsync(User.OrganisationId(), jobTitleContains, roleId, cancellationToken);
            return "Rule added.";
        }, cancellationToken);

    public Task<IActionResult> OnPostDeleteRuleAsync(Guid ruleId, CancellationToken cancellationToken) =>
        Refusable(async () => await roles.DeleteRuleAsync(User.OrganisationId(), ruleId, cancellationToken) ? "Rule deleted." : null, cancellationToken);

    private async Task<IActionResult> Refusable(Func<Task<string?>> action, CancellationToken cancellationToken)
    {
        try
        {
            var message = await action();
            if (message is null)
            {
                return NotFound();
            }

            TempData["Message"] = message;
            return RedirectToPage();
        }
        catch (AdministrationException e)
        {
            Error = e.Message;
            await OnGetAsync(cancellationToken);
            return Page();
        }
    }
}
