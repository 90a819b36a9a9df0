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

    /// <summary>
    /// The HTML with the chart embedded as a data: URI instead of a cid: reference, for a browser (the preview
    /// page, layout checks) where there is no MIME message around the HTML to hold the picture.
    /// </summary>
    public string HtmlWithInlineChart() => TrendChartPng is { } png
        ? Html.Replace($"src=\"cid:{TrendContentId}\"", $"src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"", StringComparison.Ordinal)
        : Html;
}
