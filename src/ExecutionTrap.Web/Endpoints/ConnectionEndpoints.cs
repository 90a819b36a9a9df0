using System.Security.Claims;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Leaders;
using ExecutionTrap.Web.Onboarding;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>A request to connect an ICS calendar (file or feed URL) for the signed-in leader.</summary>
public sealed record AddIcsConnectionRequest(string Address);

internal static class ConnectionEndpoints
{
    public static RouteGroupBuilder MapConnectionEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/connections").WithTags("Connections");
        group.MapGet("/", ListAsync);
        group.MapPost("/", AddAsync);
        group.MapPost("/sample", AddSampleAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/{id:guid}/sync", SyncAsync);
        group.MapDelete("/{id:guid}", DisconnectAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, LeaderConnections connections, CancellationToken cancellationToken) =>
        Results.Ok(await connections.ListAsync(user.LeaderId(), cancellationToken));

    private static async Task<IResult> AddAsync(AddIcsConnectionRequest request, ClaimsPrincipal user, LeaderConnections connections, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await connections.AddIcsAsync(user.LeaderId(), request.Address ?? "", cancellationToken);
            return Results.Created($"/api/connections/{connection.Id}", connection);
        }
        catch (OnboardingException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> AddSampleAsync(ClaimsPrincipal user, LeaderConnections connections, CancellationToken cancellationToken)
    {
        if (!LeaderConnections.SampleAvailable)
        {
            return Results.Problem("The sample calendar is not shipped with this build.", statusCode: StatusCodes.Status404NotFound);
        }

        var connection = await connections.AddSampleAsync(user.LeaderId(), cancellationToken);
        return Results.Created($"/api/connections/{connection.Id}", connection);
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, LeaderConnections connections, CancellationToken cancellationToken) =>
        await connections.GetAsync(user.LeaderId(), id, cancellationToken) is { } connection ? Results.Ok(connection) : Results.NotFound();

    private static async Task<IResult> SyncAsync(Guid id, ClaimsPrincipal user, LeaderConnections connections, CancellationToken cancellationToken) =>
        await connections.SyncAsync(user.LeaderId(), id, cancellationToken) ? Results.Accepted() : Results.NotFound();

    private static async Task<IResult> DisconnectAsync(Guid id, ClaimsPrincipal user, LeaderConnections connections, CancellationToken cancellationToken) =>
        await connections.DisconnectAsync(user.LeaderId(), id, cancellationToken) ? Results.NoContent() : Results.NotFound();
}
