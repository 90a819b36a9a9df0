using System.Security.Claims;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>When a leader gets the report (day, hour, on/off, quiet-week note).</summary>
public sealed record ReportScheduleRequest(string? Day, int? Hour, bool? Enabled, bool? QuietWeekNote);

public sealed record ReportScheduleResponse(Guid LeaderId, string Day, int Hour, string TimeZone, bool Enabled, bool QuietWeekNote);

/// <summary>A leader's own report schedule, and the admin resend within the admin's organisation.</summary>
internal static class ReportAdminEndpoints
{
    public static WebApplication MapReportAdminEndpoints(this WebApplication app)
    {
        app.MapPost("/api/admin/reports/{leaderId:guid}/{week}/resend", ResendAsync).RequireAuthorization(AuthSchemes.AdminPolicy).WithTags("Admin");
        var schedule = app.MapGroup("/api/leaders/{leaderId:guid}/report-schedule").RequireAuthorization(AuthSchemes.LeaderPolicy).WithTags("Me")
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.GetRouteValue("leaderId") is string id && Guid.TryParse(id, out var leaderId) && leaderId == context.HttpContext.User.LeaderId()
                    ? await next(context)
                    : Results.NotFound());
        schedule.MapGet("/", GetScheduleAsync);
        schedule.MapPut("/", PutScheduleAsync);
        return app;
    }

    private static async Task<IResult> ResendAsync(Guid leaderId, string week, ClaimsPrincipal user, ExecutionTrapDbContext db, ReportResends resends, CancellationToken cancellationToken)
    {

        if (!IsoWeek.TryParse(week, out var isoWeek))
        {
            return Results.Problem($"'{week}' is not an ISO week such as 2026-W47.", statusCode: StatusCodes.Status400BadRequest);
        }

        var organisationId = user.OrganisationId();
        if (!await db.Leaders.AnyAsync(l => l.Id == leaderId && l.OrganisationId == organisationId, cancellationToken))
        {
            return Results.NotFound();
        }

        var result = await resends.ResendAsync(leaderId, isoWeek, cancellationToken);
        return result.Outcome switch
        {
            ResendOutcome.Enqueued => Results.Accepted(value: new { jobId = result.JobId, week = isoWeek.ToString() }),
            ResendOutcome.LeaderNotFound => Results.NotFound(),
            ResendOutcome.NotDeliverable => Results.Problem("The leader unsubscribed or their address bounced; nothing was resent.", statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem("This report is being sent right now; try again in a few minutes.", statusCode: StatusCodes.Status409Conflict),
        };
    }

    private static async Task<IResult> GetScheduleAsync(Guid leaderId, ExecutionTrapDbContext db, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leaderId, cancellationToken);
        return leader is null ? Results.NotFound() : Results.Ok(ToResponse(leader));
    }

    private static async Task<IResult> PutScheduleAsync(Guid leaderId, ReportScheduleRequest request, ExecutionTrapDbContext db, CancellationToken cancellationToken)
    {
        var leader = await db.Leaders.SingleOrDefaultAsync(l => l.Id == leaderId, cancellationToken);
        if (leader is null)
        {
            return Results.NotFound();
        }

        if (request.Day is not null)
        {
            // Names only: Enum.TryParse would also take "3" or "None".
            if (!request.Day.All(char.IsAsciiLetter) || !Enum.TryParse<IsoDayOfWeek>(request.Day, ignoreCase: true, out var day) || day == IsoDayOfWeek.None)
            {
                return Results.Problem($"day '{request.Day}' is not a day of the week such as \"monday\".", statusCode: StatusCodes.Status400BadRequest);
            }

            leader.ReportDay = day;
        }

        if (request.Hour is { } hour)
        {
            if (hour is < 0 or > 23)
            {
                return Results.Problem($"hour {hour} is not an hour of the day, 0 to 23.", statusCode: StatusCodes.Status400BadRequest);
            }

            leader.ReportHour = hour;
        }

        leader.ReportsEnabled = request.Enabled ?? leader.ReportsEnabled;
        leader.SendQuietWeekNote = request.QuietWeekNote ?? leader.SendQuietWeekNote;
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(ToResponse(leader));
    }

    private static ReportScheduleResponse ToResponse(Storage.Entities.Leader leader) => new(
        leader.Id,
        leader.ReportDay.ToString().ToLowerInvariant(),
        leader.ReportHour,
        leader.TimeZone,
        leader.ReportsEnabled,
        leader.SendQuietWeekNote);
}
