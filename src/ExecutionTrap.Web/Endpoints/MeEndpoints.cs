using System.Security.Claims;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Leaders;
using Microsoft.AspNetCore.Authentication;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>A new token: its name, and scope "read" (the default) or "write".</summary>
public sealed record CreateTokenRequest(string? Name, string? Scope = null);

internal static class MeEndpoints
{
    public static RouteGroupBuilder MapMeEndpoints(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", (ClaimsPrincipal user) => Results.Ok(new
        {
            id = user.LeaderId(),
            email = user.FindFirstValue(ClaimTypes.Email),
            name = user.Identity?.Name,
            organisationId = user.OrganisationId(),
            isAdmin = user.IsAdmin(),
        }));
        me.MapGet("/settings", async (ClaimsPrincipal user, LeaderSettings settings, CancellationToken ct) => Results.Ok(await settings.GetAsync(user.LeaderId(), ct)));
        me.MapPut("/settings", SaveSettingsAsync);
        me.MapGet("/export", ExportAsync);
        me.MapDelete("/", DeleteAsync);
        me.MapGet("/tokens", async (ClaimsPrincipal user, ApiTokens tokens, CancellationToken ct) => Results.Ok(await tokens.ListAsync(user.LeaderId(), ct)));
        me.MapPost("/tokens", CreateTokenAsync);
        me.MapDelete("/tokens/{id:guid}", async (Guid id, ClaimsPrincipal user, ApiTokens tokens, CancellationToken ct) =>
            await tokens.RevokeAsync(user.LeaderId(), id, ct) ? Results.NoContent() : Results.NotFound());
        return api;
    }

    private static async Task<IResult> SaveSettingsAsync(ReportSettings request, ClaimsPrincipal user, LeaderSettings settings, CancellationToken cancellationToken)
    {
        var errors = await settings.SaveAsync(user.LeaderId(), request, cancellationToken);
        return errors.Count == 0 ? Results.NoContent() : Results.ValidationProblem(errors);
    }

    internal static async Task<IResult> ExportAsync(ClaimsPrincipal user, LeaderData data, CancellationToken cancellationToken)
    {
        var export = await data.ExportAsync(user.LeaderId(), cancellationToken);
        return export is null
            ? Results.NotFound()
            : Results.Json(export, statusCode: StatusCodes.Status200OK, contentType: "application/json")
                .WithDownloadName("executiontrap-my-data.json");
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, LeaderData data, CancellationToken cancellationToken)
    {
        await data.DeleteAsync(context.User.LeaderId(), cancellationToken);
        await context.SignOutAsync(AuthSchemes.Cookie);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateTokenAsync(CreateTokenRequest request, ClaimsPrincipal user, ApiTokens tokens, CancellationToken cancellationToken)
    {
        try
        {
            var token = await tokens.CreateAsync(user.LeaderId(), request.Name ?? "", request.Scope, cancellationToken);
            return Results.Created($"/api/me/tokens/{token.Id}", token);
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}

internal static class DownloadResults
{
    /// <summary>Asks the browser to save the answer as a file instead of showing it.</summary>
    public static IResult WithDownloadName(this IResult result, string fileName) => new DownloadResult(result, fileName);

    private sealed class DownloadResult(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
