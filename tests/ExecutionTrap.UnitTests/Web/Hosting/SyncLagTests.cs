using ExecutionTrap.Web.Hosting;

namespace ExecutionTrap.UnitTests.Web.Hosting;

public sealed class SyncLagTests
{
    [Fact]
    public void From_GivesTheLongestLagAndTheNearestRankP95()
    {
        var lags = Enumerable.Range(1, 20).Select(s => TimeSpan.FromSeconds(s)).Reverse().ToList();

        var lag = SyncLag.From(lags);

        Assert.Equal(20, lag.MaxSeconds);
        Assert.Equal(19, lag.P95Seconds);
        Assert.Equal(20, lag.Connections);
    }

    [Fact]
    public void From_IsZero_WhenThereAreNoConnections()
    {
        var lag = SyncLag.From([]);

        Assert.Equal(new SyncLag(0, 0, 0), lag);
    }

    // A sync stamped by a worker whose clock runs ahead would otherwise show a negative lag.
    [Fact]
    public void From_CountsNoLag_ForASyncStampedInTheFuture()
    {
        var lag = SyncLag.From([TimeSpan.FromSeconds(-3)]);

        Assert.Equal(0, lag.MaxSeconds);
    }
}
