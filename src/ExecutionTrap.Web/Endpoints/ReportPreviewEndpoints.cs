using System.Security.Claims;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Rendering;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Weeks;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>The weekly email as a web page: the same HTML the job sends, with the chart embedded instead of attached.</summary>
internal static class ReportPreviewEndpoints
{
    // Meeting titles are the leader's free text and encoded by the renderer; the policy is a second wall in case one slips through.
    private const string ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'self'";

    public static WebApplication MapReportPreviewEndpoints(this WebApplication app)
    {
        app.MapGet("/api/leaders/{leaderId:guid}/weeks/{week}/report", PreviewAsync).RequireAuthorization(AuthSchemes.LeaderPolicy).WithTags("Weeks");
        return app;
    }

    private static async Task<IResult> PreviewAsync(
        Guid leaderId,
        string week,
        ClaimsPrincipal user,
        HttpResponse response,
        LeaderWeeks weeks,
        LeaderReports reports,
        WeeklyReportRenderer renderer,
        CancellationToken cancellationToken)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            return Results.Problem($"'{week}' is not an ISO week such as 2026-W47.", statusCode: StatusCodes.Status400BadRequest);
        }

        // The report lists meeting titles: only its own leader sees it, never an admin.
        var context = leaderId == user.LeaderId() ? await weeks.LoadLeaderAsync(leaderId, cancellationToken) : null;
        if (context is null)
        {
            return Results.NotFound();
        }

        var report = await reports.BuildAsync(context, isoWeek, cancellationToken);
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(renderer.Render(report).HtmlWithInlineChart(), "text/html; charset=utf-8");
    }
}
