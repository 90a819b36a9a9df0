namespace ExecutionTrap.LoadHarness.Infrastructure;

/// <summary>What the database holds after a sync: meetings, duplicates, calendars whose read completed.</summary>
internal sealed record StoredMeetings(long Total, long Distinct, long ConnectionsWithWrongCount, long ConnectionsCompleted, long Connections, long Active, long NeedsReconnect)
{
    public long Duplicates => Total - Distinct;

    public static async Task<StoredMeetings> ReadAsync(AppDatabase db, int eventsPerLeader)
    {
        var row = (await db.RowsAsync(
            """
            SELECT
              (SELECT count(*) FROM "Meetings"),
              (SELECT count(*) FROM (SELECT DISTINCT "ConnectionId", "ProviderId" FROM "Meetings") d),
              (SELECT count(*) FROM "Connections" c WHERE (SELECT count(*) FROM "Meetings" m WHERE m."ConnectionId" = c."Id") <> @events),
              (SELECT count(*) FROM "Connections" WHERE "LastSyncedAt" IS NOT NULL AND "Cursor" LIKE 'delta:%'),
              (SELECT count(*) FROM "Connections"),
              (SELECT count(*) FROM "Connections" WHERE "Status" = 0),
              (SELECT count(*) FROM "Connections" WHERE "Status" = 2)
            """,
            ("events", (long)eventsPerLeader)))[0];
        return new StoredMeetings((long)row[0], (long)row[1], (long)row[2], (long)row[3], (long)row[4], (long)row[5], (long)row[6]);
    }
}

/// <summary>Rows written per application table and commits, from PostgreSQL's statistics.</summary>
internal sealed record WriteCounters(IReadOnlyDictionary<string, long> RowsWrittenByTable, long Commits)
{
    /// <summary>
    /// Statistics reach the shared counters when a backend has been idle for a while (at most ~10 s on
    /// PostgreSQL 15), so the harness waits before reading them.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(12);

    public static async Task<WriteCounters> ReadAsync(AppDatabase db)
    {
        var tables = (await db.RowsAsync("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE schemaname = 'public'"))
            .ToDictionary(r => (string)r[0], r => (long)r[1], StringComparer.Ordinal);
        var commits = await db.ScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        return new WriteCounters(tables, commits);
    }

    public WriteCounters Minus(WriteCounters before) => new(
        RowsWrittenByTable.ToDictionary(p => p.Key, p => p.Value - before.RowsWrittenByTable.GetValueOrDefault(p.Key), StringComparer.Ordinal),
        Commits - before.Commits);

    public long Rows(string table) => RowsWrittenByTable.GetValueOrDefault(table);
}
