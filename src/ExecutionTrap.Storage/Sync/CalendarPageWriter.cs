using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace ExecutionTrap.Storage.Sync;

/// <summary>What applying one page changed, and how many of its events could not be stored and were skipped.</summary>
public sealed record PageWriteResult(int Inserted, int Updated, int Removed, bool WroteAnything, int Skipped = 0);

/// <summary>
/// Applies one page of calendar changes and the cursor after it in a single transaction, so a
/// sync killed at any point resumes from the last stored cursor with nothing lost or doubled.
/// One event that cannot be stored is skipped and counted on the connection; it never holds back the rest.
/// </summary>
internal sealed class CalendarPageWriter(ExecutionTrapDbContext db, TimeProvider time)
{
    /// <summary>
    /// Meetings saved (and ids looked up) per statement batch: a page of tens of thousands of occurrences would
    /// otherwise become one command with more parameters than SQLite allows ("too many SQL variables").
    /// </summary>
    internal const int ChunkSize = 500;

    /// <summary>Applies a page of a read that lists the whole calendar: a full read sweeps every meeting it did not list.</summary>
    public Task<PageWriteResult> ApplyAsync(
        Guid connectionId,
        CalendarPage page,
        IReadOnlyList<MeetingLabel> labels,
        CancellationToken cancellationToken) =>
        ApplyAsync(connectionId, page, labels, readWindow: null, cancellationToken);

    /// <summary>
    /// Applies a page of a read of <paramref name="readWindow"/>: a full read then sweeps only the meetings of that
    /// window it did not list. Older meetings (and their corrections) are history, not gone at the provider.
    /// </summary>
    public async Task<PageWriteResult> ApplyAsync(
        Guid connectionId,
        CalendarPage page,
        IReadOnlyList<MeetingLabel> labels,
        Interval? readWindow,
        CancellationToken cancellationToken)
    {
        if (labels.Count != page.Changed.Count)
        {
            throw new ArgumentException("One label per changed meeting is required.", nameof(labels));
        }

        try
        {
            return await ApplyPageAsync(connectionId, page, labels, readWindow, cancellationToken);
        }
        finally
        {
            // One context serves a whole sync: forget this page's rows, or memory grows with the calendar.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Whether <c>ApplyAsync</c> would write nothing for <paramref name="page"/>, judged from what the caller
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
        Interval? readWindow,
        CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());

        // Made to fit the columns before anything is compared, so an event stored cleaned is not "changed" every round.
        var skipped = 0;
        var changes = new List<(Meeting Meeting, MeetingLabel Label)>(page.Changed.Count);
        for (var i = 0; i < page.Changed.Count; i++)
        {
            if (StorableMeeting.Prepare(page.Changed[i]) is { } meeting)
            {
                changes.Add((meeting, StorableMeeting.Prepare(labels[i])));
            }
            else
            {
                skipped++;
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = await db.Connections.SingleAsync(c => c.Id == connectionId, cancellationToken);

        var startsRead = page.IsFullRead && connection.FullReadId is null;
        if (startsRead)
        {
            connection.FullReadId = Guid.NewGuid();
        }

        var readId = page.IsFullRead ? connection.FullReadId : null;

        // A leader's correction of a series reaches the occurrences that arrive after it.
        var seriesCorrections = new Dictionary<string, Category>(StringComparer.Ordinal);
        foreach (var seriesChunk in changes.Where(c => c.Meeting.SeriesId is not null).Select(c => c.Meeting.SeriesId!).Distinct().Chunk(ChunkSize))
        {
            foreach (var correction in await db.SeriesCorrections.AsNoTracking()
                .Where(c => c.ConnectionId == connectionId && seriesChunk.Contains(c.SeriesId))
                .Select(c => new { c.SeriesId, c.Category })
                .ToListAsync(cancellationToken))
            {
                seriesCorrections[correction.SeriesId] = correction.Category;
            }
        }

        int inserted = 0, updated = 0, removed = 0;
        var insertedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in changes.Chunk(ChunkSize))
        {
            var ids = chunk.Select(c => c.Meeting.ProviderId).Distinct().ToList();
            var factsChanged = new HashSet<StoredMeeting>();
            var existing = await db.Meetings.Where(m => m.ConnectionId == connectionId && ids.Contains(m.ProviderId))
                .ToDictionaryAsync(m => m.ProviderId, StringComparer.Ordinal, cancellationToken);
            foreach (var (meeting, label) in chunk)
            {
                if (existing.TryGetValue(meeting.ProviderId, out var stored))
                {
                    if (!MeetingMapping.SameFacts(meeting, stored) || stored.DecidedBy != label.DecidedBy)
                    {
                        MeetingMapping.CopyFacts(meeting, stored);
                        MeetingMapping.CopyLabel(label, stored);
                        stored.UpdatedAt = now;
                        factsChanged.Add(stored);
                    }

                    // Only bookkeeping: the full read listed it, so the sweep at its end keeps it.
                    stored.SeenInRead = readId ?? stored.SeenInRead;
                }
                else
                {
                    stored = new StoredMeeting { ConnectionId = connectionId, ProviderId = meeting.ProviderId, Title = meeting.Title, SeenInRead = readId, UpdatedAt = now };
                    MeetingMapping.CopyFacts(meeting, stored);
                    MeetingMapping.CopyLabel(label, stored);
                    stored.CorrectedCategory = meeting.SeriesId is { } series && seriesCorrections.TryGetValue(series, out var corrected) ? corrected : null;
                    db.Meetings.Add(stored);
                    existing[meeting.ProviderId] = stored;
                }
            }

            var (saved, failed) = await SaveChunkAsync(cancellationToken);
            inserted += saved.Count(e => e.Inserted);
            updated += saved.Count(e => !e.Inserted && factsChanged.Contains(e.Meeting));
            skipped += failed;
            insertedIds.UnionWith(saved.Where(e => e.Inserted).Select(e => e.Meeting.ProviderId));
        }

        // An event added by this very page stays, as before chunking: the page's own listing wins over its removal.
        foreach (var removedChunk in page.Removed.Select(StorableMeeting.Id).Distinct().Where(id => !insertedIds.Contains(id)).Chunk(ChunkSize))
        {
            removed += await db.Meetings
                .Where(m => m.ConnectionId == connectionId && removedChunk.Contains(m.ProviderId))
                .ExecuteDeleteAsync(cancellationToken);
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

        // A full read counts afresh what it could not store; an incremental round adds what it could not.
        if (startsRead)
        {
            connection.SkippedEvents = skipped;
        }
        else if (skipped > 0)
        {
            connection.SkippedEvents += skipped;
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
            // Save this page first, so that what it listed carries the read's mark; then everything the read
            // could have listed (its window) and did not is gone at the provider. What lies before the window
            // is history: it stays until the retention job takes it.
            await db.SaveChangesAsync(cancellationToken);
            var unlisted = db.Meetings.Where(m => m.ConnectionId == connectionId && (m.SeenInRead == null || m.SeenInRead != finishedRead));
            if (readWindow is { HasStart: true } after)
            {
                var from = after.Start;
                unlisted = unlisted.Where(m => m.End > from);
            }

            if (readWindow is { HasEnd: true } before)
            {
                var to = before.End;
                unlisted = unlisted.Where(m => m.Start < to);
            }

            swept = await unlisted.ExecuteDeleteAsync(cancellationToken);
            connection.FullReadId = null;
        }

        var wrote = changedAnything || swept > 0 || db.ChangeTracker.HasChanges() || readId is not null || skipped > 0;
        if (wrote)
        {
            if (page.IsLastPage)
            {
                connection.LastSyncedAt = now;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new PageWriteResult(inserted, updated, removed + swept, wrote, skipped);
    }

    /// <summary>
    /// Saves the meetings of one chunk. When the database refuses one of them, EF Core has rolled the chunk back to
    /// its savepoint (the transaction stays usable); the chunk is then saved one meeting at a time and the meetings
    /// still refused are left out. A failure that is not about the data (the database is down) is thrown as it is.
    /// </summary>
    private async Task<(List<(StoredMeeting Meeting, bool Inserted)> Saved, int Failed)> SaveChunkAsync(CancellationToken cancellationToken)
    {
        var pending = db.ChangeTracker.Entries<StoredMeeting>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => (e.Entity, e.State))
            .ToList();
        var saved = new List<(StoredMeeting, bool)>();
        var failed = 0;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            saved.AddRange(pending.Select(p => (p.Entity, p.State == EntityState.Added)));
        }
        catch (Exception ex) when (StorableMeeting.IsDataError(ex))
        {
            foreach (var (entity, _) in pending)
            {
                db.Entry(entity).State = EntityState.Detached;
            }

            foreach (var (entity, state) in pending)
            {
                db.Entry(entity).State = state;
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    saved.Add((entity, state == EntityState.Added));
                }
                catch (Exception one) when (StorableMeeting.IsDataError(one))
                {
                    db.Entry(entity).State = EntityState.Detached;
                    failed++;
                }
            }
        }

        // The chunk is in the transaction: forget its rows (the connection stays tracked), so memory stays flat.
        foreach (var entry in db.ChangeTracker.Entries<StoredMeeting>().ToList())
        {
            entry.State = EntityState.Detached;
        }

        return (saved, failed);
    }
}
