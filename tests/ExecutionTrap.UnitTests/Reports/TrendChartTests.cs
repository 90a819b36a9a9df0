using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Rendering;

namespace ExecutionTrap.UnitTests.Reports;

public class TrendChartTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void RenderPng_ReturnsPngAtTwiceTheDisplaySize_WhenWeeksHaveScores()
    {
        var trend = Enumerable.Range(40, 8).Select(w => new TrendPoint(new IsoWeek(2026, w), 40 + w % 5 * 6.5)).ToList();

        var png = TrendChart.RenderPng(trend, new RoleTarget(40));

        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal(TrendChart.Width * 2, ReadBigEndian(png, 16));
        Assert.Equal(TrendChart.Height * 2, ReadBigEndian(png, 20));
    }

    [Fact]
    public void RenderPng_StillDraws_WhenEveryWeekIsQuiet()
    {
        // A new leader's first weeks have no scores: the chart shows the target line alone.
        var trend = Enumerable.Range(40, 8).Select(w => new TrendPoint(new IsoWeek(2026, w), null)).ToList();

        var png = TrendChart.RenderPng(trend, new RoleTarget(65));

        Assert.Equal(PngSignature, png[..8]);
    }

    private static int ReadBigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
