using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace ExecutionTrap.Storage.Sync;

/// <summary>
/// Keeps two workers from syncing one connection at once without writing a row, so that a sync of an
/// unchanged calendar writes nothing: on PostgreSQL a session advisory lock held on the context's own
/// connection (released by the server if the worker dies), on SQLite an exclusive lock on a small file
/// beside the database (released by the operating system if the process dies).
/// </summary>
internal sealed class ConnectionSyncLock(ExecutionTrapDbContext db)
{
    // For a SQLite database that lives only in memory there is no file to lock: one process is all there is.
    private static readonly ConcurrentDictionary<Guid, SemaphoreSlim> InProcess = new();

    /// <summary>The held lock, or null when another worker holds it; dispose to release.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (db is PostgresExecutionTrapDbContext)
        {
            return await TryAdvisoryLockAsync(connectionId, cancellationToken);
        }

        var database = db.Database.GetDbConnection().DataSource;
        if (string.IsNullOrWhiteSpace(database) || database.Contains(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            var gate = InProcess.GetOrAdd(connectionId, _ => new SemaphoreSlim(1, 1));
            return await gate.WaitAsync(TimeSpan.Zero, cancellationToken) ? new Releaser(() => gate.Release()) : null;
        }

        return TryFileLock(database, connectionId);
    }

    private async Task<IAsyncDisposable?> TryAdvisoryLockAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var key = Key(connectionId);

        // A session lock belongs to one server connection: keep the context's connection open until release.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var taken = (await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").ToListAsync(cancellationToken)).Single();
            if (taken)
            {
                return new AsyncReleaser(async () =>
                {
                    try
                    {
                        await db.Database.SqlQuery<bool>($"SELECT pg_advisory_unlock({key}) AS \"Value\"").ToListAsync(CancellationToken.None);
                    }
                    finally
                    {
                        await db.Database.CloseConnectionAsync();
                    }
                });
            }
        }
        catch
        {
            await db.Database.CloseConnectionAsync();
            throw;
        }

        await db.Database.CloseConnectionAsync();
        return null;
    }

    private static Releaser? TryFileLock(string database, Guid connectionId)
    {
        var folder = Path.GetFullPath(database) + ".sync-locks";
        Directory.CreateDirectory(folder);
        try
        {
            // FileShare.None is an exclusive lock every process (and every other handle in this one) respects.
            var file = new FileStream(Path.Combine(folder, $"{connectionId:N}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            return new Releaser(file.Dispose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>One 64-bit advisory key per connection: the two halves of its id folded together.</summary>
    internal static long Key(Guid connectionId)
    {
        Span<byte> bytes = stackalloc byte[16];
        connectionId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    private sealed class Releaser(Action release) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class AsyncReleaser(Func<Task> release) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await release();
            }
        }
    }
}
