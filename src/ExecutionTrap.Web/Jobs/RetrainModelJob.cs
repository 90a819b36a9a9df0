using ExecutionTrap.Storage;
using ExecutionTrap.Web.Classification;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Jobs;

/// <summary>
/// Nightly: retrains the model of every organisation whose leaders corrected meetings, one job per
/// organisation. Safe to run twice: a second run trains the same data and keeps the better model.
/// </summary>
internal sealed class RetrainModelJob(ExecutionTrapDbContext db, ModelRetrainer retrainer, IBackgroundJobClient jobs)
{
    public const string Id = "retrain-models";

    [Queue("classify")]
    public async Task RunAllAsync(CancellationToken cancellationToken)
    {
        var organisations = await db.Meetings.AsNoTracking()
            .Where(m => m.CorrectedCategory != null)
            .Join(db.Connections, m => m.ConnectionId, c => c.Id, (m, c) => c.LeaderId)
            .Join(db.Leaders, leaderId => leaderId, l => l.Id, (_, l) => l.OrganisationId)
            .Distinct()
            .ToListAsync(cancellationToken);
        foreach (var organisationId in organisations)
        {
            jobs.Enqueue<RetrainModelJob>(job => job.RunAsync(organisationId, CancellationToken.None));
        }
    }

    [Queue("classify")]
    [AutomaticRetry(Attempts = 1)]
    public Task RunAsync(Guid organisationId, CancellationToken cancellationToken) =>
        retrainer.RetrainAsync(organisationId, cancellationToken);
}
