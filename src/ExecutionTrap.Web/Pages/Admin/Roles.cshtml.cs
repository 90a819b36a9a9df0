using ExecutionTrap.Web.Administration;
using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages.Admin;

internal sealed class RolesModel(RoleAdministration roles) : PageModel
{
    public IReadOnlyList<RoleView> Roles { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Roles = await roles.ListRolesAsync(User.OrganisationId(), cancellationToken);

    public Task<IActionResult> OnPostCreateAsync(string? name, double? target, string? categoryBounds, CancellationToken cancellationToken) =>
        Refusable(async () =>
        {
            await roles.CreateRoleAsync(User.OrganisationId(), new RoleInput(name, target, categoryBounds), cancellationToken);
            return $"Role '{name?.Trim()}' created.";
        }, cancellationToken);

    public Task<IActionResult> OnPostUpdateAsync(Guid id, string? name, double? target, string? categoryBounds, CancellationToken cancellationToken) =>
        Refusable(async () => await roles.UpdateRoleAsync(User.OrganisationId(), id, new RoleInput(name, target, categoryBounds), cancellationToken) ? "Role saved." : null, cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) =>
        Refusable(async () => await roles.DeleteRoleAsync(User.OrganisationId(), id, cancellationToken) ? "Role deleted; its leaders now have the default role." : null, cancellationToken);

    public Task<IActionResult> OnPostDefaultAsync(Guid id, CancellationToken cancellationToken) =>
        Refusable(async () => await roles.MakeDefaultAsync(User.OrganisationId(), id, cancellationToken) ? "Default role changed." : null, cancellationToken);

    // A null message means the role is not in this organisation.
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
