using ExecutionTrap.Calendars;
using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Storage.Sync;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using ExecutionTrap.Web.Classification;

namespace ExecutionTrap.Web.Jobs;

/// <summary>Reads one calendar's changes from its provider, classifies them and stores them page by page.</summary>
internal sealed partial class SyncConnectionJob(
    ExecutionTrapDbContext db,
    IEnumerable<ICalendarSource> sources,
    OrganisationClassifiers classifiers,
    CalendarPageWriter writer,
    ConnectionSyncLock syncLock,
    IOptions<CalendarsOptions> calendars,
    TimeProvider time,
    ILogger<SyncConnectionJob> logger)
{
    public const string Id = "sync-connection";

    [Queue("sync")]
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600])]
    public async Task RunAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        // A lock, not a lease column: taking a lease would be a write on every sync, even of an unchanged calendar.
        var held = await syncLock.TryAcquireAsync(connectionId, cancellationToken);
        if (held is null)
        {
            LogLeaseHeld(connectionId);
            return;
        }

        await using (held)
        {
            await SyncAsync(connectionId, cancellationToken);
        }
    }

    private async Task SyncAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var connection = await db.Connections.AsNoTracking().Include(c => c.Leader)
            .SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is null || connection.Status is ConnectionStatus.Disconnected or ConnectionStatus.NeedsReconnect)
        {
            return;
        }

        var source = sources.FirstOrDefault(s => s.Provider == connection.Provider)
            ?? throw new InvalidOperationException($"No calendar source is configured for {connection.Provider}.");

        // Loaded on the first page that has something to classify: an unchanged calendar needs no model.
        OrganisationClassifier? classifier = null;
        var cursor = connection.Cursor;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var request = new CalendarReadRequest(connection.Id, connection.Address, Window(), cursor, connection.Leader?.Email);
                var pages = 0;
                var changes = 0;
                await foreach (var page in source.ReadAsync(request, cancellationToken))
                {
                    pages++;
                    if (CalendarPageWriter.WritesNothing(page, cursor, connection.Status, connection.LastError))
                    {
                        continue;
                    }

                    // Evidence is computed once here and stored, so every view of the meeting can say why.
                    classifier ??= await classifiers.ForLeaderAsync(connection.Leader!, cancellationToken);
                    var labels = classifier.ClassifyMany(page.Changed, explain: true);
                    var result = await writer.ApplyAsync(connection.Id, page, labels, cancellationToken);
                    changes += result.Inserted + result.Updated + result.Removed;
                }

                LogSynced(connection.Id, connection.Provider, pages, changes);
                return;
            }
            catch (CalendarSourceException e) when (e.Kind == CalendarErrorKind.CursorExpired && attempt == 0)
            {
                // The provider forgot our cursor: start a clean full read; what it does not list is swept at its end.
                LogCursorExpired(connection.Id);
                await ResetCursorAsync(connection.Id, cancellationToken);
                cursor = null;
            }
            catch (CalendarSourceException e) when (e.Kind is not CalendarErrorKind.ProviderUnavailable)
            {
                // Bad data, a dead address or a revoked grant: retrying will not help. Show it; keep what is stored.
                await RecordErrorAsync(connection.Id, e, cancellationToken);
                LogSyncFailed(connection.Id, e.Kind, e.Message);
                return;
            }
            catch (CalendarSourceException e)
            {
                await RecordErrorAsync(connection.Id, e, cancellationToken);

                // Failed for Hangfire, which stores the exception: a new one without the address, and without the original
                // as its inner exception, whose message would carry the address all the same.
                throw new CalendarSourceException(e.Kind, Hosting.JobTexts.Redact(e.Message));
            }
        }
    }

    private Interval Window()
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var options = calendars.Value;
        return new Interval(now - Duration.FromDays(7 * options.SyncWindowWeeksBack), now + Duration.FromDays(7 * options.SyncWindowWeeksAhead));
    }

    private Task<int> ResetCursorAsync(Guid connectionId, CancellationToken cancellationToken) =>
        db.Connections
            .Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Cursor, (string?)null).SetProperty(c => c.FullReadId, (Guid?)null), cancellationToken);

    private Task<int> RecordErrorAsync(Guid connectionId, CalendarSourceException error, CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var message = error.Message.Length > 1000 ? error.Message[..1000] : error.Message;
        var status = error.Kind == CalendarErrorKind.NeedsReconnect ? ConnectionStatus.NeedsReconnect : ConnectionStatus.Error;
        return db.Connections
            .Where(c => c.Id == connectionId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, status)
                    .SetProperty(c => c.LastError, message)
                    .SetProperty(c => c.LastErrorKind, error.Kind)
                    .SetProperty(c => c.LastAttemptAt, now),
                cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced connection {ConnectionId} ({Provider}): {Pages} pages, {Changes} changes")]
    private partial void LogSynced(Guid connectionId, CalendarProvider provider, int pages, int changes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} is being synced by another worker")]
    private partial void LogLeaseHeld(Guid connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The provider expired the sync cursor of connection {ConnectionId}; starting a full read")]
    private partial void LogCursorExpired(Guid connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of connection {ConnectionId} failed ({ErrorKind}): {Error}")]
    private partial void LogSyncFailed(Guid connectionId, CalendarErrorKind errorKind, string error);
}
