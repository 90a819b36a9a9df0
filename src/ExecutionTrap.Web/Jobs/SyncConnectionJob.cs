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
using ExecutionTrap.Web.Connections;
using ExecutionTrap.Web.Leaders;

namespace ExecutionTrap.Web.Jobs;

/// <summary>Reads one calendar's changes from its provider, classifies them and stores them page by page.</summary>
internal sealed partial class SyncConnectionJob(
    ExecutionTrapDbContext db,
    IEnumerable<ICalendarSource> sources,
    OrganisationClassifiers classifiers,
    CalendarPageWriter writer,
    ConnectionSyncLock syncLock,
    FeedAddressProtector feedAddresses,
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

        try
        {
            var source = sources.FirstOrDefault(s => s.Provider == connection.Provider)
                ?? throw new InvalidOperationException($"No calendar source is configured for {connection.Provider}.");
            await ReadAndStoreAsync(connection, source, connection.Cursor, cancellationToken);
        }
        catch (Exception e) when (e is not CalendarSourceException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // A failure of ours (the database, the classifier, a parser bug), not the provider's: the leader must still
            // see that this calendar is not syncing, never "waiting for first sync" or "connected" over lost changes.
            // The details go to the operators' log; Hangfire's retries follow.
            LogSyncCrashed(connection.Id, e.GetType().Name, e);
            await RecordFailureAsync(connection.Id, cancellationToken);
            throw;
        }
    }

    private async Task ReadAndStoreAsync(CalendarConnection connection, ICalendarSource source, string? cursor, CancellationToken cancellationToken)
    {
        // Loaded on the first page that has something to classify: an unchanged calendar needs no model.
        OrganisationClassifier? classifier = null;
        var address = feedAddresses.ReadableAddress(connection);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var request = new CalendarReadRequest(connection.Id, address, Window(), cursor, connection.Leader?.Email);
                var pages = 0;
                var changes = 0;
                var skipped = 0;
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
                    var result = await writer.ApplyAsync(connection.Id, page, labels, request.Window, cancellationToken);
                    changes += result.Inserted + result.Updated + result.Removed;
                    skipped += result.Skipped;
                }

                LogSynced(connection.Id, connection.Provider, pages, changes);
                if (skipped > 0)
                {
                    LogSkipped(connection.Id, skipped);
                }

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
                await RecordErrorAsync(connection, e, cancellationToken);
                LogSyncFailed(connection.Id, e.Kind, e.Message);
                return;
            }
            catch (CalendarSourceException e)
            {
                await RecordErrorAsync(connection, e, cancellationToken);
                LogSyncFailed(connection.Id, e.Kind, e.Message);

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

    private Task<int> RecordErrorAsync(CalendarConnection connection, CalendarSourceException error, CancellationToken cancellationToken)
    {
        var connectionId = connection.Id;
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());

        // A feed's leader gets one reason whatever failed (the detail, without the URL's secret
        // parts, is in the operator's log): distinct texts would make a port scanner of the form.
        var message = connection.Provider == CalendarProvider.Ics ? LeaderConnections.FeedProblem
            : error.Message.Length > 1000 ? error.Message[..1000] : error.Message;
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

    /// <summary>What the leader reads when the failure was ours: no internals, and a promise we keep (the retries).</summary>
    internal const string OwnFailureMessage = "an error on our side while storing it; our operators have the details";

    private async Task RecordFailureAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        try
        {
            var now = Instant.FromDateTimeOffset(time.GetUtcNow());
            db.ChangeTracker.Clear();
            await db.Connections
                .Where(c => c.Id == connectionId && c.Status != ConnectionStatus.Disconnected)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(c => c.Status, ConnectionStatus.Error)
                        .SetProperty(c => c.LastError, OwnFailureMessage)
                        .SetProperty(c => c.LastErrorKind, (CalendarErrorKind?)null)
                        .SetProperty(c => c.LastAttemptAt, now),
                    cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database itself may be what failed; the original exception is the one worth throwing.
            LogFailureNotRecorded(connectionId, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of connection {ConnectionId} failed with {ExceptionType}, not a provider error; recorded on the connection")]
    private partial void LogSyncCrashed(Guid connectionId, string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The failure of connection {ConnectionId} could not be recorded on it ({ExceptionType})")]
    private partial void LogFailureNotRecorded(Guid connectionId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of connection {ConnectionId} skipped {Skipped} events that could not be stored")]
    private partial void LogSkipped(Guid connectionId, int skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced connection {ConnectionId} ({Provider}): {Pages} pages, {Changes} changes")]
    private partial void LogSynced(Guid connectionId, CalendarProvider provider, int pages, int changes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} is being synced by another worker")]
    private partial void LogLeaseHeld(Guid connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The provider expired the sync cursor of connection {ConnectionId}; starting a full read")]
    private partial void LogCursorExpired(Guid connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of connection {ConnectionId} failed ({ErrorKind}): {Error}")]
    private partial void LogSyncFailed(Guid connectionId, CalendarErrorKind errorKind, string error);
}
