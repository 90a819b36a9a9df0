using System.Text.RegularExpressions;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// What may go into job storage. Hangfire keeps a failed job's exception for days and shows it on the dashboard,
/// and an error from a calendar read can quote the feed's URL, which for a published calendar is the secret that
/// opens it; so an exception a job lets Hangfire store has its addresses taken out first.
/// </summary>
internal static partial class JobTexts
{
    public static string Redact(string? text) => text is null ? "" : Address().Replace(text, "<address>");

    // Any scheme://… up to whitespace or a quote: http(s), webcal, file.
    [GeneratedRegex("""[A-Za-z][A-Za-z0-9+.\-]*://[^\s'"<>]+""")]
    private static partial Regex Address();
}
