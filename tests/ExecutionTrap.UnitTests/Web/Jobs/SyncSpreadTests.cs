using ExecutionTrap.Web.Jobs;

namespace ExecutionTrap.UnitTests.Web.Jobs;

public sealed class SyncSpreadTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public void OffsetOf_IsTheSame_EveryRound()
    {
        var id = Guid.Parse("6c1f4f3e-3d0a-4b7e-9a51-2f0d7c9e8b11");

        var first = SyncSpread.OffsetOf(id, TenMinutes);
        var second = SyncSpread.OffsetOf(id, TenMinutes);

        Assert.Equal(first, second);
    }

    [Fact]
    public void OffsetOf_SpreadsConnectionsOverTheWholeSpread()
    {
        var random = new Random(47);
        var ids = Enumerable.Range(0, 1000).Select(_ => RandomGuid(random)).ToList();

        var offsets = ids.Select(id => SyncSpread.OffsetOf(id, TenMinutes)).ToList();
        var perMinute = offsets.GroupBy(o => (int)o.TotalMinutes).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(offsets, o => Assert.InRange(o, TimeSpan.Zero, TenMinutes - TimeSpan.FromSeconds(1)));
        Assert.Equal(10, perMinute.Count);
        Assert.All(perMinute.Values, count => Assert.InRange(count, 60, 140));
    }

    // Version 7 ids created in the same millisecond share their first half; the random second half still spreads them.
    [Fact]
    public void OffsetOf_SpreadsVersion7Ids_CreatedAtTheSameMoment()
    {
        var now = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

        var offsets = Enumerable.Range(0, 50).Select(_ => SyncSpread.OffsetOf(Guid.CreateVersion7(now), TenMinutes)).Distinct().Count();

        Assert.True(offsets > 40, $"only {offsets} distinct offsets");
    }

    [Fact]
    public void OffsetOf_IsZero_WhenTheRoundIsNotSpread()
    {
        var offset = SyncSpread.OffsetOf(Guid.NewGuid(), TimeSpan.Zero);

        Assert.Equal(TimeSpan.Zero, offset);
    }

    private static Guid RandomGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
