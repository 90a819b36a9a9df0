using System.Text.RegularExpressions;

namespace ExecutionTrap.Classification.Features;

/// <summary>Rules about a title's shape that words alone do not capture.</summary>
internal static partial class TitleHeuristics
{
    // Words that look like names when capitalised but name teams or topics ("Sales / Marketing").
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "sync", "review", "planning", "sales", "marketing", "product", "engineering", "design", "team",
        "weekly", "daily", "monthly", "ops", "finance", "legal", "hr", "it", "strategy", "qbr", "budget",
        "roadmap", "status", "update", "project", "program", "programme", "data", "platform", "security",
        "support", "customer", "vendor", "partner", "board", "exec", "leadership", "staff", "all", "hands",
        "standup", "meeting", "call", "incident", "release", "launch", "lunch", "dinner", "coffee", "infra",
        "cloud", "mobile", "web", "api", "ux", "ui", "qa", "devops", "sre", "pm", "eng", "growth", "brand",
        "north", "south", "east", "west", "emea", "apac", "amer", "q1", "q2", "q3", "q4", "and", "the",
    };

    private static readonly HashSet<string> SaysNothing = new(StringComparer.Ordinal)
    {
        "", "meeting", "meet", "call", "sync", "catch up", "catchup", "catch-up", "chat", "check in",
        "check-in", "checkin", "touch base", "touchbase", "connect", "discussion", "discuss", "talk",
        "follow up", "follow-up", "followup", "conversation", "quick call", "quick chat", "quick sync",
        "quick catch up", "quick catch-up", "quick question", "short call", "brief call", "teams meeting",
        "zoom", "zoom call", "zoom meeting", "teams call", "google meet", "video call", "phone call",
        "new meeting", "untitled", "untitled event", "invite", "invitation", "busy", "tbd", "placeholder",
    };

    /// <summary>
    /// True for titles made only of people's names joined by a separator ("Ana / Ben", "Ana &lt;&gt; Ben",
    /// "Ana x Ben") or naming a 1:1 ("Zhouyu 1-1", "1:1"): the label guide's sign of a 1:1.
    /// </summary>
    public static bool IsNamesOnly(string? title)
    {
        var text = TitleNormalizer.StripMailPrefixes(title ?? "");
        if (OneOnOne().IsMatch(text))
        {
            return true;
        }

        var parts = Separator().Split(text);
        if (parts.Length is < 2 or > 4)
        {
            return false;
        }

        return parts.All(IsName);
    }

    /// <summary>True for titles that say nothing about the work ("Meeting", "Catch up", "Call", "Sync").</summary>
    public static bool SaysNothingAboutWork(string? title) => SaysNothingAboutWorkNormalized(TitleNormalizer.Normalize(title));

    /// <summary>As <see cref="SaysNothingAboutWork"/>, for a title already through <see cref="TitleNormalizer.Normalize"/>.</summary>
    public static bool SaysNothingAboutWorkNormalized(string normalizedTitle) => SaysNothing.Contains(normalizedTitle);

    private static bool IsName(string part)
    {
        var words = part.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length is 1 or 2 && words.All(IsNameWord);
    }

    private static bool IsNameWord(string word) =>
        NameWord().IsMatch(word) && !NotNames.Contains(word);

    [GeneratedRegex(@"\s*(?:/|<>|<->|<=>|\||&|\+|\s[x×]\s|\s-\s|\s–\s|:)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\p{Lu}[\p{L}\p{M}'’\-]*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex NameWord();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])(1\s*[:\-]\s*1|1\s*on\s*1|1on1|one[\s\-]on[\s\-]one)(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OneOnOne();
}
