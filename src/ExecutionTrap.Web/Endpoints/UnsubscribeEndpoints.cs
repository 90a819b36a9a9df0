using System.Net;
using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Email;
using ExecutionTrap.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>
/// The unsubscribe link of the weekly email. GET only shows a page with a button, because link scanners and
/// previews open every link; POST turns the reports off. The POST is also the RFC 8058 one-click target that
/// inboxes call with the body "List-Unsubscribe=One-Click": no sign-in, no anti-forgery token, the signed
/// token in the address is the only proof needed.
/// </summary>
internal static partial class UnsubscribeEndpoints
{
    public const string Path = "/unsubscribe";

    private const string LogCategory = "ExecutionTrap.Web.Endpoints.UnsubscribeEndpoints";

    public static WebApplication MapUnsubscribeEndpoints(this WebApplication app)
    {
        app.MapGet(Path, ConfirmAsync).AllowAnonymous();
        app.MapPost(Path, UnsubscribeAsync).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ConfirmAsync(string? token, ExecutionTrapDbContext db, IOptions<ReportsOptions> options, CancellationToken cancellationToken)
    {
        if (!UnsubscribeTokens.TryValidate(token, options.Value.UnsubscribeKey, out var leaderId))
        {
            return InvalidLink();
        }

        var leader = await db.Leaders.AsNoTracking()
            .Where(l => l.Id == leaderId)
            .Select(l => new { l.Email, l.ReportsEnabled })
            .SingleOrDefaultAsync(cancellationToken);
        if (leader is null || !leader.ReportsEnabled)
        {
            return Page(StatusCodes.Status200OK, "You are unsubscribed", "<p>You no longer get the weekly ExecutionTrap report.</p>");
        }

        var action = $"{Path}?token={Uri.EscapeDataString(token!)}";
        return Page(
            StatusCodes.Status200OK,
            "Stop the weekly report?",
            $"""
            <p>Stop sending the weekly ExecutionTrap report to <strong>{E(leader.Email)}</strong>?</p>
            <form method="post" action="{E(action)}">
            <input type="hidden" name="List-Unsubscribe" value="One-Click">
            <button type="submit" style="font:inherit;padding:10px 18px;border:0;border-radius:6px;background:#1a56a8;color:#fff;cursor:pointer;">Unsubscribe</button>
            </form>
            """);
    }

    private static async Task<IResult> UnsubscribeAsync(string? token, ExecutionTrapDbContext db, IOptions<ReportsOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!UnsubscribeTokens.TryValidate(token, options.Value.UnsubscribeKey, out var leaderId))
        {
            return InvalidLink();
        }

        // The body ("List-Unsubscribe=One-Click" from an inbox, the same field from our own form) is not required:
        // the signed token already proves the request came from the email, and a sloppy client must not keep a leader subscribed.
        var changed = await db.Leaders
            .Where(l => l.Id == leaderId && l.ReportsEnabled)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ReportsEnabled, false), cancellationToken);
        if (changed > 0)
        {
            var logger = loggers.CreateLogger(LogCategory);
            LogUnsubscribed(logger, leaderId);
        }

        return Page(StatusCodes.Status200OK, "You are unsubscribed", "<p>You will not get the weekly ExecutionTrap report any more. Your calendar stays connected; you can turn the report back on in your settings.</p>");
    }

    private static IResult InvalidLink() => Page(
        StatusCodes.Status400BadRequest,
        "This unsubscribe link is not valid",
        "<p>The link is incomplete or was changed. Use the Unsubscribe link at the bottom of your latest report email.</p>");

    private static IResult Page(int status, string title, string body) => Results.Content(
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>{E(title)}</title></head>
        <body style="margin:0;padding:24px 16px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#202124;background:#f1f3f4;">
        <main style="max-width:520px;margin:0 auto;padding:24px;background:#fff;border-radius:8px;">
        <h1 style="margin:0 0 12px 0;font-size:24px;line-height:32px;">{E(title)}</h1>
        {body}
        </main>
        </body>
        </html>
        """,
        "text/html; charset=utf-8",
        statusCode: status);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leader {LeaderId} unsubscribed from the weekly report")]
    private static partial void LogUnsubscribed(ILogger logger, Guid leaderId);
}
