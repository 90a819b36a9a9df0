using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Leaders;
using ExecutionTrap.Web.Onboarding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Pages;

internal sealed class ConnectionsModel(LeaderConnections connections, IOptions<AuthOptions> auth) : PageModel
{
    public bool Microsoft => auth.Value.Microsoft.IsConfigured;

    public bool Google => auth.Value.Google.IsConfigured;

    public IReadOnlyList<ConnectionView> Connections { get; private set; } = [];

    public string? Address { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Connections = await connections.ListAsync(User.LeaderId(), cancellationToken);

    public async Task<IActionResult> OnPostIcsAsync(string? address, CancellationToken cancellationToken)
    {
        try
        {
            await connections.AddIcsAsync(User.LeaderId(), address ?? "", cancellationToken);
            TempData["Message"] = "Calendar added; the first sync has started.";
            return RedirectToPage();
        }
        catch (OnboardingException e)
        {
            Address = address;
            Error = e.Message;
            await OnGetAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostSampleAsync(CancellationToken cancellationToken)
    {
        await connections.AddSampleAsync(User.LeaderId(), cancellationToken);
        TempData["Message"] = "Sample calendar added; your week will be scored in a few seconds.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSyncAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await connections.SyncAsync(User.LeaderId(), id, cancellationToken))
        {
            return NotFound();
        }

        TempData["Message"] = "Sync started.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisconnectAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await connections.DisconnectAsync(User.LeaderId(), id, cancellationToken))
        {
            return NotFound();
        }

        TempData["Message"] = "Calendar disconnected and its meetings deleted.";
        return RedirectToPage();
    }
}
