using ExecutionTrap.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExecutionTrap.Web.Pages;

internal sealed class TokensModel(ApiTokens tokens) : PageModel
{
    public IReadOnlyList<ApiTokenView> Tokens { get; private set; } = [];

    public CreatedApiToken? Created { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Tokens = await tokens.ListAsync(User.LeaderId(), cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? scope, CancellationToken cancellationToken)
    {
        try
        {
            Created = await tokens.CreateAsync(User.LeaderId(), name ?? "", scope, cancellationToken);
        }
        catch (ArgumentException e)
        {
            TempData["Message"] = e.Message;
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await tokens.RevokeAsync(User.LeaderId(), id, cancellationToken))
        {
            return NotFound();
        }

        TempData["Message"] = "Token revoked.";
        return RedirectToPage();
    }
}
