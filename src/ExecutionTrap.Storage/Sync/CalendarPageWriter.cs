using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Storage.Sync;

/// <summary>What applying one page changed.</summary>
public sealed record PageWriteResult(int Inserted, int Updated, int Removed, bool WroteAnything);

/// <summary>
/// Applies one page of calendar changes and the cursor after it in a single transaction, so a
/// sync killed at any point resumes from the last stored cursor with nothing lost or doubled.
/// </summary>
internal sealed class CalendarPageWriter(ExecutionTrapDbContext db, TimeProvider time)
{
    public async Task<PageWriteResult> ApplyAsync(
        Guid connectionId,
        CalendarPage page,
        IReadOnlyList<MeetingLabel> labels,
        CancellationToken cancellationToken)
    {
        if (labels.Count != page.Changed.Count)
        {
            throw new ArgumentException("One label per changed meeting is required.", nameof(labels));
        }

        try
        {
            return await ApplyPageAsync(connectionId, page, labels, cancellationToken);
        }
        finally
        {
            // One context serves a whole sync: forget this page's rows, or memory grows with the calendar.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Whether <see cref="ApplyAsync"/> would write nothing for <paramref name="page"/>, judged from what the caller
    /// already read of the connection (the cursor it sent, its status and error), so an unchanged calendar costs no
    /// transaction: the last page of an incremental read with no change that ends with a cursor, for a connection
    /// without an error. The stored cursor is then kept (see below), and there is no status to clear.
    /// </summary>
    public static bool WritesNothing(CalendarPage page, string? cursorSent, ConnectionStatus status, string? lastError) =>
        !page.IsFullRead
        && page.IsLastPage
        && page.Changed.Count == 0
        && page.Removed.Count == 0
        && cursorSent is not null
        && page.Cursor is not null
        && status == ConnectionStatus.Active
        && lastError is null;

    private async Task<PageWriteResult> ApplyPageAsync(
        Guid connectionId,
        CalendarPage page,
        IReadOnlyList<MeetingLabel> labels,
        CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = await db.Connections.SingleAsync(c => c.Id == connectionId, cancellationToken);

        if (page.IsFullRead && connection.FullReadId is null)
        {
            connection.FullReadId = Guid.NewGuid();
        }

        var readId = page.IsFullRead ? connection.FullReadId : null;
        var ids = page.Changed.Select(m => m.ProviderId).Concat(page.Removed).Distinct().ToList();
        var existing = ids.Count == 0
            ? []
            : await db.Meetings.Where(m => m.ConnectionId == connectionId && ids.Contains(m.ProviderId)).ToDictionaryAsync(m => m.ProviderId, StringComparer.Ordinal, cancellationToken);

        // A leader's correction of a series reaches the occurrences that arrive after it.
        var seriesIds = page.Changed.Where(m => m.SeriesId is not null).Select(m => m.SeriesId!).Distinct().ToList();
        var seriesCorrections = seriesIds.Count == 0
            ? []
            : await db.SeriesCorrections.AsNoTracking()
                .Where(c => c.ConnectionId == connectionId && seriesIds.Contains(c.SeriesId))
                .ToDictionaryAsync(c => c.SeriesId, c => c.Category, StringComparer.Ordinal, cancellationToken);

        int inserted = 0, updated = 0, removed = 0;
        for (var i = 0; i < page.Changed.Count; i++)
        {
            var meeting = page.Changed[i];
            if (existing.TryGetValue(meeting.ProviderId, out var stored))
            {
                if (!MeetingMapping.SameFacts(meeting, stored) || stored.DecidedBy != labels[i].DecidedBy)
                {
                    MeetingMapping.CopyFacts(meeting, stored);
                    MeetingMapping.CopyLabel(labels[i], stored);
                    stored.UpdatedAt = now;
                    updated++;
                }

                // Only bookkeeping: the full read listed it, so the sweep at its end keeps it.
                stored.SeenInRead = readId ?? stored.SeenInRead;
            }
            else
            {
                stored = new StoredMeeting { ConnectionId = connectionId, ProviderId = meeting.ProviderId, Title = meeting.Title, SeenInRead = readId, UpdatedAt = now };
                MeetingMapping.CopyFacts(meeting, stored);
                MeetingMapping.CopyLabel(labels[i], stored);
                stored.CorrectedCategory = meeting.SeriesId is { } series && seriesCorrections.TryGetValue(series, out var corrected) ? corrected : null;
                db.Meetings.Add(stored);
                existing[meeting.ProviderId] = stored;
                inserted++;
            }
        }

        foreach (var id in page.Removed)
        {
            if (existing.TryGetValue(id, out var stored) && db.Entry(stored).State != EntityState.Added)
            {
                db.Meetings.Remove(stored);
                removed++;
            }
        }

        // An incremental round that changed nothing keeps the cursor it had: the provider accepts
        // it again, and an unchanged calendar then costs no database write at all.
        var changedAnything = inserted + updated + removed > 0;
        if (page.Cursor is not null && page.Cursor != connection.Cursor && (page.IsFullRead || changedAnything || connection.Cursor is null))
        {
            connection.Cursor = page.Cursor;
        }
        else if (page.IsLastPage && page.Cursor is null && connection.Cursor is not null)
        {
            // A read that ends without a cursor (Google's last page without a sync token) asks for a full
            // read next time; keeping the mid-read cursor would replay its last pages forever.
            connection.Cursor = null;
        }

        // A read that left part of the calendar out to stay bounded says so on the connection.
        if (page.IsLastPage && (connection.Status != ConnectionStatus.Active || connection.LastError != page.Warning))
        {
            connection.Status = ConnectionStatus.Active;
            connection.LastError = page.Warning;
            connection.LastErrorKind = null;
        }

        var swept = 0;
        if (page.IsLastPage && readId is { } finishedRead)
        {
            // Save this page first, so that what it listed carries the read's mark; then
            // everything of the window the full read did not list is gone at the provider.
            await db.SaveChangesAsync(cancellationToken);
            swept = await db.Meetings
                .Where(m => m.ConnectionId == connectionId && (m.SeenInRead == null || m.SeenInRead != finishedRead))
                .ExecuteDeleteAsync(cancellationToken);
            connection.FullReadId = null;
        }

        var wrote = changedAnything || swept > 0 || db.ChangeTracker.HasChanges() || readId is not null;
        if (wrote)
        {
            if (page.IsLastPage)
            {
                connection.LastSyncedAt = now;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new PageWriteResult(inserted, updated, removed + swept, wrote);
    }
}
