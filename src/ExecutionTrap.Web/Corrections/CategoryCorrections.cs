using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Corrections;

/// <summary>A leader's own category for a meeting, or for every stored meeting of its series.</summary>
internal sealed class CategoryCorrections(ExecutionTrapDbContext db)
{
    /// <summary>Sets (or, with null, clears) the correction; returns how many meetings changed, 0 when the meeting is not the leader's.</summary>
    public async Task<int> CorrectAsync(Guid leaderId, long meetingId, Category? category, bool wholeSeries, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.AsNoTracking()
            .Where(m => m.Id == meetingId && db.Connections.Any(c => c.Id == m.ConnectionId && c.LeaderId == leaderId))
            .Select(m => new { m.Id, m.ConnectionId, m.SeriesId })
            .SingleOrDefaultAsync(cancellationToken);
        if (meeting is null)
        {
            return 0;
        }

        var scope = wholeSeries && meeting.SeriesId is not null
            ? db.Meetings.Where(m => m.ConnectionId == meeting.ConnectionId && m.SeriesId == meeting.SeriesId)
            : db.Meetings.Where(m => m.Id == meeting.Id);
        return await scope.ExecuteUpdateAsync(s => s.SetProperty(m => m.CorrectedCategory, category), cancellationToken);
    }
}
