using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Json;
using ExecutionTrap.Web.Weeks;

namespace ExecutionTrap.Web.Endpoints;

internal static class WeekEndpoints
{
    public static WebApplication MapWeekEndpoints(this WebApplication app)
    {
        app.MapGet("/api/leaders/{leaderId:guid}/weeks/{week}", GetWeekAsync).AddEndpointFilter<LocalOnlyFilter>();
        return app;
    }

    private static async Task<IResult> GetWeekAsync(Guid leaderId, string week, LeaderWeeks weeks, CancellationToken cancellationToken)
    {
        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            return Results.Problem($"'{week}' is not an ISO week such as 2026-W47.", statusCode: StatusCodes.Status400BadRequest);
        }

        var leader = await weeks.LoadLeaderAsync(leaderId, cancellationToken);
        if (leader is null)
        {
            return Results.NotFound();
        }

        var scores = await weeks.ScoreAsync(leaderId, leader.Zone, isoWeek, isoWeek, cancellationToken);
        return Results.Text(WeekJson.From(scores[0], leader.Target.ExecutionScore).ToJson(), "application/json");
    }
}
