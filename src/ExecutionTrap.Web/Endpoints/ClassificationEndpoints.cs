using System.Security.Claims;
using System.Text.Json.Serialization;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Auth;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Jobs;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Endpoints;

/// <summary>A rule as an admin writes it: kind titleContains | titleRegex | providerCategoryEquals, category a slug or "excluded".</summary>
public sealed record RuleRequest(
    [property: JsonConverter(typeof(JsonStringEnumConverter<RulePatternKind>))] RulePatternKind Kind,
    string Pattern,
    string Category);

public sealed record RuleResponse(Guid Id, string Kind, string Pattern, string Category, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// The classification API: organisation rules and model versions for admins, corrections for leaders.
/// The acting admin is the signed-in user; the admin policy guards the group, and every call is
/// scoped to the admin's own organisation. Leaders correct categories through PUT /api/meetings/{id}/category.
/// </summary>
internal static class ClassificationEndpoints
{
    public static WebApplication MapClassificationEndpoints(this WebApplication app)
    {
        var rules = app.MapGroup("/api/admin/classification-rules").RequireAuthorization(AuthSchemes.AdminPolicy).WithTags("Admin");
        rules.MapGet("/", ListRulesAsync);
        rules.MapPost("/test", TestRuleAsync);
        rules.MapPost("/", CreateRuleAsync);
        rules.MapDelete("/{id:guid}", DeleteRuleAsync);

        var models = app.MapGroup("/api/admin/models").RequireAuthorization(AuthSchemes.AdminPolicy).WithTags("Admin");
        models.MapGet("/", ListModelsAsync);
        models.MapPost("/rollback", RollBackAsync);
        models.MapPost("/retrain", Retrain);

        return app;
    }

    private static Task<IResult> ListRulesAsync(ClaimsPrincipal user, ClassificationRules rules, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), async organisationId =>
            Results.Ok((await rules.ListAsync(organisationId, cancellationToken)).Select(ToResponse)), cancellationToken);

    private static Task<IResult> TestRuleAsync(ClaimsPrincipal user, RuleRequest request, ClassificationRules rules, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), async organisationId =>
            Results.Ok(await rules.TestAsync(organisationId, ToDraft(request), cancellationToken)), cancellationToken);

    private static Task<IResult> CreateRuleAsync(
        ClaimsPrincipal user, RuleRequest request, ClassificationRules rules, ExecutionTrapDbContext db, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), async organisationId =>
        {
            var email = await db.Leaders.AsNoTracking().Where(l => l.Id == user.LeaderId()).Select(l => l.Email).SingleAsync(cancellationToken);
            var rule = await rules.CreateAsync(organisationId, ToDraft(request), email, cancellationToken);
            return Results.Created($"/api/admin/classification-rules/{rule.Id}", ToResponse(rule));
        }, cancellationToken);

    private static Task<IResult> DeleteRuleAsync(Guid id, ClaimsPrincipal user, ClassificationRules rules, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), async organisationId =>
            await rules.DeleteAsync(organisationId, id, cancellationToken) ? Results.NoContent() : Results.NotFound(), cancellationToken);

    private static Task<IResult> ListModelsAsync(ClaimsPrincipal user, ClassificationRules rules, ModelVersions versions, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), async organisationId =>
            Results.Ok(await versions.ListAsync(organisationId, cancellationToken)), cancellationToken);

    private static Task<IResult> RollBackAsync(
        ClaimsPrincipal user, ClassificationRules rules, ModelVersions versions, OrganisationClassifiers classifiers, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), async organisationId =>
        {
            var active = await versions.RollBackAsync(organisationId, cancellationToken);
            return active is { } version
                ? Results.Ok(new { activeVersion = version, builtIn = version == 0 })
                : Results.Problem("The organisation already uses the built-in model; there is nothing to roll back.", statusCode: StatusCodes.Status409Conflict);
        }, cancellationToken);

    private static Task<IResult> Retrain(ClaimsPrincipal user, ClassificationRules rules, IBackgroundJobClient jobs, CancellationToken cancellationToken) =>
        AsAdminAsync(rules, user.LeaderId(), organisationId =>
        {
            var jobId = jobs.Enqueue<RetrainModelJob>(job => job.RunAsync(organisationId, CancellationToken.None));
            return Task.FromResult(Results.Accepted(value: new { jobId }));
        }, cancellationToken);

    private static async Task<IResult> AsAdminAsync(ClassificationRules rules, Guid adminId, Func<Guid, Task<IResult>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action(await rules.OrganisationOfAdminAsync(adminId, cancellationToken));
        }
        catch (RuleRequestException e)
        {
            return Results.Problem(e.Message, statusCode: e.IsForbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
        }
    }

    private static RuleDraft ToDraft(RuleRequest request)
    {
        if (request.Category.Equals(Labels.Excluded, StringComparison.OrdinalIgnoreCase))
        {
            return new RuleDraft(request.Kind, request.Pattern ?? "", null);
        }

        return Labels.TryParseCategory(request.Category, out var category)
            ? new RuleDraft(request.Kind, request.Pattern ?? "", category)
            : throw new RuleRequestException($"'{request.Category}' is not a category or 'excluded'.");
    }

    private static RuleResponse ToResponse(ClassificationRule rule) => new(
        rule.Id,
        JsonNamingPolicyName(rule.Kind),
        rule.Pattern,
        ClassificationRules.Name(rule.Category, rule.Category is null ? ExclusionReason.NotAMeeting : null),
        rule.CreatedBy,
        rule.CreatedAt.ToDateTimeOffset());

    private static string JsonNamingPolicyName(RulePatternKind kind) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
