using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Web.Classification;

/// <summary>What one correction changed: the meeting, and later occurrences of its series.</summary>
internal sealed record CorrectionResult(long MeetingId, Category Category, int LaterOccurrences, bool AppliesToSeries);

/// <summary>
/// A leader's correction of a meeting's category: stored with the meeting, applied at once to the
/// later occurrences of its series, and remembered for the occurrences that have not arrived yet.
/// The nightly retraining reads corrected meetings as labelled examples.
/// </summary>
internal sealed class MeetingCorrections(ExecutionTrapDbContext db, TimeProvider time)
{
    /// <summary>Corrects a meeting of the leader; null when the leader has no such meeting.</summary>
    public async Task<CorrectionResult?> CorrectAsync(Guid leaderId, long meetingId, Category category, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings
            .Where(m => m.Id == meetingId && db.Connections.Any(c => c.Id == m.ConnectionId && c.LeaderId == leaderId))
            .SingleOrDefaultAsync(cancellationToken);
        if (meeting is null)
        {
            return null;
        }

        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        meeting.CorrectedCategory = category;
        meeting.UpdatedAt = now;

        var later = 0;
        if (meeting.IsRecurring && meeting.SeriesId is { } series)
        {
            var existing = await db.SeriesCorrections.SingleOrDefaultAsync(c => c.ConnectionId == meeting.ConnectionId && c.SeriesId == series, cancellationToken);
            if (existing is null)
            {
                db.SeriesCorrections.Add(new SeriesCorrection { ConnectionId = meeting.ConnectionId, SeriesId = series, Category = category, CreatedAt = now });
            }
            else
            {
                existing.Category = category;
                existing.CreatedAt = now;
            }

            var start = meeting.Start;
            later = await db.Meetings
                .Where(m => m.ConnectionId == meeting.ConnectionId && m.SeriesId == series && m.Start > start)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.CorrectedCategory, category).SetProperty(m => m.UpdatedAt, now), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CorrectionResult(meeting.Id, category, later, meeting.IsRecurring && meeting.SeriesId is not null);
    }
}
