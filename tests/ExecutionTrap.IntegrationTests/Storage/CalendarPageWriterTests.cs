using ExecutionTrap.Domain.Calendars;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Storage;

[Collection(PostgresGroup.Name)]
public sealed class CalendarPageWriterTests(PostgresServer postgres)
{
    public static TheoryData<string> Providers => new() { "Sqlite", "PostgreSql" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ApplyAsync_StoresEachMeetingOnce_WhenTheSamePageArrivesTwice(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var connectionId = await storage.AddConnectionAsync();
        var page = Page([StorageHost.Meeting("a"), StorageHost.Meeting("b", "Sev1 bridge")], cursor: "hash-1", full: true);

        var first = await ApplyAsync(storage, connectionId, page);
        var second = await ApplyAsync(storage, connectionId, page);

        Assert.Equal(2, first.Inserted);
        Assert.Equal(0, second.Inserted + second.Updated + second.Removed);
        Assert.Equal(2, await CountAsync(storage, connectionId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ApplyAsync_WritesNothing_WhenAnIncrementalRoundChangedNothing(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var connectionId = await storage.AddConnectionAsync();
        await ApplyAsync(storage, connectionId, Page([StorageHost.Meeting("a")], cursor: "delta-1", full: true));

        var result = await ApplyAsync(storage, connectionId, Page([], cursor: "delta-2", full: false));

        Assert.False(result.WroteAnything);
        Assert.Equal("delta-1", await CursorAsync(storage, connectionId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ApplyAsync_RemovesMeetings_TheProviderReportsRemovedOrAFullReadNoLongerLists(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var connectionId = await storage.AddConnectionAsync();
        await ApplyAsync(storage, connectionId, Page([StorageHost.Meeting("a"), StorageHost.Meeting("b"), StorageHost.Meeting("c")], "c1", full: true));

        await ApplyAsync(storage, connectionId, new CalendarPage([], ["a"], "c2", IsLastPage: true, IsFullRead: false));
        await ApplyAsync(storage, connectionId, Page([StorageHost.Meeting("b")], "c3", full: true));

        Assert.Equal(["b"], await IdsAsync(storage, connectionId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ApplyAsync_EndsWithExactlyTheProvidersEvents_WhenAFullReadIsKilledBetweenPagesAndRestarted(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var connectionId = await storage.AddConnectionAsync();
        await ApplyAsync(storage, connectionId, Page([StorageHost.Meeting("old")], "c0", full: true));
        var page1 = new CalendarPage([StorageHost.Meeting("a"), StorageHost.Meeting("b")], [], "next-2", IsLastPage: false, IsFullRead: true);
        var page2 = new CalendarPage([StorageHost.Meeting("c")], [], "delta-final", IsLastPage: true, IsFullRead: true);

        // A first run stores page 1 and dies before page 2; a retry that had not seen the stored
        // cursor replays page 1; then the read resumes from the stored cursor with page 2.
        await ApplyAsync(storage, connectionId, page1);
        await ApplyAsync(storage, connectionId, page1);
        var resumedFrom = await CursorAsync(storage, connectionId);
        await ApplyAsync(storage, connectionId, page2);

        Assert.Equal("next-2", resumedFrom);
        Assert.Equal(["a", "b", "c"], await IdsAsync(storage, connectionId));
        Assert.Equal("delta-final", await CursorAsync(storage, connectionId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ApplyAsync_KeepsTheLeadersCorrection_WhenTheMeetingChanges(string provider)
    {
        await using var storage = await StorageHost.StartAsync(provider, postgres);
        var connectionId = await storage.AddConnectionAsync();
        await ApplyAsync(storage, connectionId, Page([StorageHost.Meeting("a")], "c1", full: true));
        await using (var scope = storage.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
            await db.Meetings.Where(m => m.ProviderId == "a").ExecuteUpdateAsync(s => s.SetProperty(m => m.CorrectedCategory, Category.Strategy));
        }

        await ApplyAsync(storage, connectionId, Page([StorageHost.Meeting("a", "Weekly status (moved)")], "c2", full: false));

        await using var check = storage.Scope();
        var stored = await check.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().Meetings.SingleAsync(m => m.ProviderId == "a");
        Assert.Equal("Weekly status (moved)", stored.Title);
        Assert.Equal(Category.Strategy, stored.CorrectedCategory);
    }

    private static CalendarPage Page(IReadOnlyList<Meeting> meetings, string cursor, bool full) =>
        new(meetings, [], cursor, IsLastPage: true, IsFullRead: full);

    private static async Task<PageWriteResult> ApplyAsync(StorageHost storage, Guid connectionId, CalendarPage page)
    {
        await using var scope = storage.Scope();
        var writer = new CalendarPageWriter(scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>(), storage.Time);
        var labels = page.Changed.Select(_ => new MeetingLabel { Category = Category.Execution, Confidence = 0.8, DecidedBy = "test" }).ToList();
        return await writer.ApplyAsync(connectionId, page, labels, CancellationToken.None);
    }

    private static async Task<int> CountAsync(StorageHost storage, Guid connectionId)
    {
        await using var scope = storage.Scope();
        return await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().Meetings.CountAsync(m => m.ConnectionId == connectionId);
    }

    private static async Task<List<string>> IdsAsync(StorageHost storage, Guid connectionId)
    {
        await using var scope = storage.Scope();
        var ids = await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().Meetings
            .Where(m => m.ConnectionId == connectionId).Select(m => m.ProviderId).ToListAsync();
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    private static async Task<string?> CursorAsync(StorageHost storage, Guid connectionId)
    {
        await using var scope = storage.Scope();
        return await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().Connections
            .Where(c => c.Id == connectionId).Select(c => c.Cursor).SingleAsync();
    }
}
