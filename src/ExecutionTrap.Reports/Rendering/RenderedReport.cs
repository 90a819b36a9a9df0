namespace ExecutionTrap.Reports.Rendering;

/// <summary>
/// The weekly email before it becomes a MIME message. <see cref="TrendChartPng"/> is the picture the HTML shows
/// as <c>cid:trend</c>; null when there is none (a quiet week, or the chart could not be drawn).
/// </summary>
internal sealed record RenderedReport(
    string Subject,
    string Text,
    string Html,
    byte[]? TrendChartPng,
    string TrendDescription,
    string CorrectionsUrl,
    string UnsubscribeUrl)
{
    public const string TrendContentId = "trend";
}
