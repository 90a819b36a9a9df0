using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Web.Classification;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Web.Corrections;

/// <summary>A leader's own category for a meeting, or for every meeting of its series, those still to come included.</summary>
internal sealed class CategoryCorrections(ExecutionTrapDbContext db, MeetingCorrections corrections)
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

        if (wholeSeries && meeting.SeriesId is not null)
        {
            if (category is { } chosen)
            {
                // Records the series correction too, so occurrences synced later arrive corrected (and it teaches retraining).
                await corrections.CorrectAsync(leaderId, meetingId, chosen, cancellationToken);
            }
            else
            {
                await db.SeriesCorrections.Where(c => c.ConnectionId == meeting.ConnectionId && c.SeriesId == meeting.SeriesId).ExecuteDeleteAsync(cancellationToken);
            }

            return await db.Meetings.Where(m => m.ConnectionId == meeting.ConnectionId && m.SeriesId == meeting.SeriesId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.CorrectedCategory, category), cancellationToken);
        }

        return await db.Meetings.Where(m => m.Id == meeting.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.CorrectedCategory, category), cancellationToken);
    }
}
