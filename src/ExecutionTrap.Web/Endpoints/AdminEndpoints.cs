using System.Security.Claims;
using ExecutionTrap.Web.Administration;
using ExecutionTrap.Web.Auth;

namespace ExecutionTrap.Web.Endpoints;

public sealed record AssignRoleRequest(Guid? RoleId);

public sealed record SetAdminRequest(bool IsAdmin);

public sealed record AddRuleRequest(string? JobTitleContains, Guid RoleId);

/// <summary>The admin console's operations; every one is scoped to the admin's own organisation.</summary>
internal static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(AuthSchemes.AdminPolicy).WithTags("Admin");
        admin.MapGet("/roles", async (ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) => Results.Ok(await roles.ListRolesAsync(user.OrganisationId(), ct)));
        admin.MapPost("/roles", (RoleInput input, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            Refusable(async () =>
            {
                var role = await roles.CreateRoleAsync(user.OrganisationId(), input, ct);
                return Results.Created($"/api/admin/roles/{role.Id}", role);
            }));
        admin.MapPut("/roles/{id:guid}", (Guid id, RoleInput input, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            Refusable(async () => await roles.UpdateRoleAsync(user.OrganisationId(), id, input, ct) ? Results.NoContent() : Results.NotFound()));
        admin.MapDelete("/roles/{id:guid}", (Guid id, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            Refusable(async () => await roles.DeleteRoleAsync(user.OrganisationId(), id, ct) ? Results.NoContent() : Results.NotFound()));
        admin.MapPost("/roles/{id:guid}/default", async (Guid id, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            await roles.MakeDefaultAsync(user.OrganisationId(), id, ct) ? Results.NoContent() : Results.NotFound());

        admin.MapGet("/leaders", async (ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) => Results.Ok(await roles.ListLeadersAsync(user.OrganisationId(), ct)));
        admin.MapPut("/leaders/{id:guid}/role", (Guid id, AssignRoleRequest request, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            Refusable(async () => await roles.AssignRoleAsync(user.OrganisationId(), id, request.RoleId, ct) ? Results.NoContent() : Results.NotFound()));
        admin.MapPut("/leaders/{id:guid}/admin", (Guid id, SetAdminRequest request, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            Refusable(async () => await roles.SetAdminAsync(user.OrganisationId(), user.LeaderId(), id, request.IsAdmin, ct) ? Results.NoContent() : Results.NotFound()));

        admin.MapGet("/rules", async (ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) => Results.Ok(await roles.ListRulesAsync(user.OrganisationId(), ct)));
        admin.MapPost("/rules", (AddRuleRequest request, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            Refusable(async () =>
            {
                var rule = await roles.AddRuleAsync(user.OrganisationId(), request.JobTitleContains, request.RoleId, ct);
                return Results.Created($"/api/admin/rules/{rule.Id}", rule);
            }));
        admin.MapDelete("/rules/{id:guid}", async (Guid id, ClaimsPrincipal user, RoleAdministration roles, CancellationToken ct) =>
            await roles.DeleteRuleAsync(user.OrganisationId(), id, ct) ? Results.NoContent() : Results.NotFound());

        admin.MapGet("/organisation", async (ClaimsPrincipal user, OrganisationOverview overview, CancellationToken ct) => Results.Ok(await overview.BuildAsync(user.OrganisationId(), ct)));
        return api;
    }

    private static async Task<IResult> Refusable(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (AdministrationException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
