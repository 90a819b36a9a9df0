using System.Collections.Concurrent;
using ExecutionTrap.Classification;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

/// <summary>
/// The classifier of each organisation: its rules and its active model version, loaded once per
/// version and kept; the built-in model for organisations that have none.
/// </summary>
internal sealed partial class OrganisationClassifiers(
    IServiceScopeFactory scopes,
    MeetingClassifier builtIn,
    IDateTimeZoneProvider zones,
    IOptions<ClassificationOptions> options,
    ILogger<OrganisationClassifiers> logger)
{
    private readonly ConcurrentDictionary<Guid, (long VersionId, MeetingClassifier Classifier)> _models = new();

    /// <summary>The classifier for a leader's meetings: their organisation's, reading start hours in their zone.</summary>
    public async Task<OrganisationClassifier> ForLeaderAsync(Leader leader, CancellationToken cancellationToken)
    {
        var classifier = await ForOrganisationAsync(leader.OrganisationId, cancellationToken);
        return classifier.InZone(zones.GetZoneOrNull(leader.TimeZone));
    }

    public async Task<OrganisationClassifier> ForOrganisationAsync(Guid organisationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var rules = await db.ClassificationRules.AsNoTracking()
            .Where(r => r.OrganisationId == organisationId)
            .ToListAsync(cancellationToken);
        var model = await ModelAsync(db, organisationId, cancellationToken);
        return new OrganisationClassifier(model, [.. rules.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Select(r => new CompiledRule(r))]);
    }

    /// <summary>The organisation's active model, else the built-in one.</summary>
    public async Task<MeetingClassifier> ModelAsync(ExecutionTrapDbContext db, Guid organisationId, CancellationToken cancellationToken)
    {
        var active = await db.ModelVersions.AsNoTracking()
            .Where(v => v.OrganisationId == organisationId && v.IsActive)
            .OrderByDescending(v => v.Version)
            .Select(v => new { v.Id, v.Version })
            .FirstOrDefaultAsync(cancellationToken);
        if (active is null)
        {
            _models.TryRemove(organisationId, out _);
            return builtIn;
        }

        if (_models.TryGetValue(organisationId, out var cached) && cached.VersionId == active.Id)
        {
            return cached.Classifier;
        }

        var bytes = await db.ModelVersions.AsNoTracking().Where(v => v.Id == active.Id).Select(v => v.Bytes).SingleAsync(cancellationToken);
        try
        {
            var classifier = MeetingClassifiers.Load(bytes, $"model v{active.Version} of organisation {organisationId}", options.Value.UncertainBelow, VersionName(active.Version, bytes));
            _models[organisationId] = (active.Id, classifier);
            return classifier;
        }
        catch (InvalidDataException e)
        {
            // A stored model this build cannot read must not stop syncing: the built-in model decides.
            LogModelUnreadable(organisationId, active.Version, e.Message);
            return builtIn;
        }
    }

    /// <summary>The name recorded as DecidedBy: the organisation's version and the model's content hash.</summary>
    public static string VersionName(int version, byte[] bytes) => $"org-v{version}:{ExecutionTrap.Classification.Training.TrainedMeetingModel.VersionOf(bytes)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model v{Version} of organisation {OrganisationId} cannot be read; using the built-in model: {Error}")]
    private partial void LogModelUnreadable(Guid organisationId, int version, string error);
}
