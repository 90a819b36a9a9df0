using System.Security.Claims;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Corrections;
using ExecutionTrap.Web.Leaders;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>A category for one meeting or its whole series; null category returns it to the model's choice.</summary>
public sealed record CategoryCorrectionRequest(string? Category, bool WholeSeries);

internal static class WeekEndpoints
{
    public static RouteGroupBuilder MapWeekEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/weeks/current", (ClaimsPrincipal user, WeekView weeks, CancellationToken ct) => GetAsync(user.LeaderId(), null, weeks, ct)).WithTags("Weeks");
        api.MapGet("/weeks/{week}", GetMineAsync).WithTags("Weeks");
        api.MapGet("/leaders/{leaderId:guid}/weeks/{week}", GetLeadersAsync).WithTags("Weeks");
        api.MapPut("/meetings/{id:long}/category", CorrectAsync).WithTags("Weeks");
        return api;
    }

    private static Task<IResult> GetMineAsync(string week, ClaimsPrincipal user, WeekView weeks, CancellationToken cancellationToken) =>
        IsoWeek.TryParse(week, out var isoWeek)
            ? GetAsync(user.LeaderId(), isoWeek, weeks, cancellationToken)
            : Task.FromResult(NotAWeek(week));

    // A week lists meeting titles: a leader reads only their own; admins see the organisation's aggregates instead.
    private static async Task<IResult> GetLeadersAsync(Guid leaderId, string week, ClaimsPrincipal user, WeekView weeks, CancellationToken cancellationToken)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            return NotAWeek(week);
        }

        return leaderId == user.LeaderId() ? await GetAsync(leaderId, isoWeek, weeks, cancellationToken) : Results.NotFound();
    }

    private static async Task<IResult> GetAsync(Guid leaderId, IsoWeek? week, WeekView weeks, CancellationToken cancellationToken) =>
        await weeks.BuildAsync(leaderId, week, cancellationToken) is { } page ? Results.Ok(page) : Results.NotFound();

    private static async Task<IResult> CorrectAsync(long id, CategoryCorrectionRequest request, ClaimsPrincipal user, CategoryCorrections corrections, CancellationToken cancellationToken)
    {
        Category? category = null;
        if (request.Category is { Length: > 0 } slug)
        {
            if (!Labels.TryParseCategory(slug, out var parsed))
            {
                return Results.Problem($"'{slug}' is not a category; use execution, escalation, firefighting, strategy or people-development.", statusCode: StatusCodes.Status400BadRequest);
            }

            category = parsed;
        }

        var changed = await corrections.CorrectAsync(user.LeaderId(), id, category, request.WholeSeries, cancellationToken);
        return changed == 0 ? Results.NotFound() : Results.Ok(new { changed });
    }

    private static IResult NotAWeek(string week) =>
        Results.Problem($"'{week}' is not an ISO week such as 2026-W47.", statusCode: StatusCodes.Status400BadRequest);
}
