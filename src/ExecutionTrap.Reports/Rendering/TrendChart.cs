using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Reports.Building;
using ScottPlot;

namespace ExecutionTrap.Reports.Rendering;

/// <summary>The eight-week bar chart of the execution score with the role's target as a dashed line.</summary>
internal static class TrendChart
{
    /// <summary>The size the email shows the chart at; the PNG has twice the pixels for sharp phone screens.</summary>
    public const int Width = 560;
    public const int Height = 200;
    private const int PixelScale = 2;

    private static readonly Color Above = Color.FromHex("#B3261E");
    private static readonly Color AtOrBelow = Color.FromHex("#2F5D8A");
    private static readonly Color TargetLine = Color.FromHex("#202124");
    private static readonly Color Ink = Color.FromHex("#3C4043");
    private static readonly Color Grid = Color.FromHex("#E3E5E8");

    public static byte[] RenderPng(IReadOnlyList<TrendPoint> trend, RoleTarget target)
    {
        var plot = new Plot { ScaleFactor = PixelScale };
        try
        {
            // Set before anything is added: labels take the font current when they are created.
            // DejaVu ships with Debian's base images; where it is missing ScottPlot falls back to an installed font.
            plot.Font.Set("DejaVu Sans");
            var bars = trend
                .Select((point, i) => (point, i))
                .Where(x => x.point.Score is not null)
                .Select(x => new Bar
                {
                    Position = x.i,
                    Value = x.point.Score!.Value,
                    FillColor = x.point.Score > target.ExecutionScore ? Above : AtOrBelow,
                    LineWidth = 0,
                    Size = 0.6,
                    Label = ReportFormat.Score(x.point.Score.Value),
                })
                .ToList();

            var barPlot = plot.Add.Bars(bars);
            barPlot.ValueLabelStyle.FontSize = 11;
            barPlot.ValueLabelStyle.ForeColor = Ink;

            var line = plot.Add.HorizontalLine(target.ExecutionScore);
            line.LineWidth = 1.5f;
            line.LineColor = TargetLine;
            line.LinePattern = LinePattern.Dashed;
            line.LabelText = "target " + ReportFormat.Target(target);
            line.LabelFontSize = 11;
            line.LabelBackgroundColor = TargetLine;
            line.LabelOppositeAxis = true;

            var positions = Enumerable.Range(0, trend.Count).Select(i => (double)i).ToArray();
            var labels = trend.Select(p => ReportFormat.WeekShort(p.Week)).ToArray();
            plot.Axes.Bottom.SetTicks(positions, labels);
            plot.Axes.SetLimits(-0.6, trend.Count - 0.4, 0, 100);

            plot.FigureBackground.Color = Colors.White;
            plot.DataBackground.Color = Colors.White;
            plot.Grid.MajorLineColor = Grid;
            plot.Axes.Color(Ink);
            plot.Axes.Left.Label.Text = "";
            plot.Axes.Bottom.Label.Text = "";

            return plot.GetImageBytes(Width * PixelScale, Height * PixelScale, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }
}
