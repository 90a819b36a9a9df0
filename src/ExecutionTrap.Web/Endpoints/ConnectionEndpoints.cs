using ExecutionTrap.Storage;
using ExecutionTrap.Web.Jobs;
using ExecutionTrap.Web.Onboarding;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>A request to connect an ICS calendar (file or feed URL) for a leader.</summary>
public sealed record AddIcsConnectionRequest(string Email, string Address, string? DisplayName, string? TimeZone);

public sealed record ConnectionResponse(
    Guid Id,
    Guid LeaderId,
    string Provider,
    string Address,
    string Status,
    DateTimeOffset? LastSyncedAt,
    string? LastError);

internal static class ConnectionEndpoints
{
    public static WebApplication MapConnectionEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/connections").AddEndpointFilter<LocalOnlyFilter>();
        group.MapPost("/", AddAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/{id:guid}/sync", Sync);
        return app;
    }

    private static async Task<IResult> AddAsync(AddIcsConnectionRequest request, LeaderOnboarding onboarding, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        try
        {
            var leader = await onboarding.EnsureLeaderAsync(request.Email, request.DisplayName, request.TimeZone, cancellationToken);
            var connection = await onboarding.AddIcsCalendarAsync(leader, request.Address, cancellationToken);
            jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(connection.Id, CancellationToken.None));
            return Results.Created($"/api/connections/{connection.Id}", ToResponse(connection));
        }
        catch (OnboardingException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> ListAsync(ExecutionTrapDbContext db, CancellationToken cancellationToken)
    {
        var connections = await db.Connections.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        return Results.Ok(connections.Select(ToResponse));
    }

    private static async Task<IResult> GetAsync(Guid id, ExecutionTrapDbContext db, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return connection is null ? Results.NotFound() : Results.Ok(ToResponse(connection));
    }

    private static IResult Sync(Guid id, IBackgroundJobClient jobs)
    {
        var jobId = jobs.Enqueue<SyncConnectionJob>(job => job.RunAsync(id, CancellationToken.None));
        return Results.Accepted(value: new { jobId });
    }

    private static ConnectionResponse ToResponse(Storage.Entities.CalendarConnection c) => new(
        c.Id,
        c.LeaderId,
        c.Provider.ToString().ToLowerInvariant(),
        c.Address,
        c.Status.ToString(),
        c.LastSyncedAt?.ToDateTimeOffset(),
        c.LastError);
}
