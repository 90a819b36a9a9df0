using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExecutionTrap.Classification.Features;

/// <summary>
/// Turns a raw calendar title into the text the model reads: mail prefixes gone, lower case,
/// numbers and ticket ids collapsed to placeholder words, emoji kept as words of their own.
/// </summary>
internal static partial class TitleNormalizer
{
    public const string NumberToken = "num";
    public const string TicketToken = "ticketid";
    public const string OneOnOneToken = "oneonone";

    public static string Normalize(string? title)
    {
        var text = StripMailPrefixes(title ?? "");
        text = text.ToLowerInvariant();
        text = OneOnOne().Replace(text, " " + OneOnOneToken + " ");
        text = Ticket().Replace(text, " " + TicketToken + " ");
        text = DateOrTime().Replace(text, " " + NumberToken + " ");
        text = BareNumber().Replace(text, " " + NumberToken + " ");
        return Tidy(text);
    }

    /// <summary>The title without "RE:", "FW:", "Accepted:", "Updated invitation:" and the like, case kept.</summary>
    public static string StripMailPrefixes(string title)
    {
        var text = title.Trim();
        while (MailPrefix().Match(text) is { Success: true } match)
        {
            text = text[match.Length..].TrimStart();
        }

        return text;
    }

    // Separators that join names ("Ana / Ben", "Ana <> Ben") stay as words because they carry
    // the 1:1 signal; other punctuation only splits words.
    private static string Tidy(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
            {
                builder.Append(rune);
            }
            else if (category is UnicodeCategory.OtherSymbol || IsEmojiRange(rune))
            {
                builder.Append(' ').Append(rune).Append(' ');
            }
            else if (rune.Value is '/' or '|' or '&' or '+')
            {
                builder.Append(' ').Append(rune).Append(' ');
            }
            else if (rune.Value is '<' or '>')
            {
                builder.Append(" <> ");
            }
            else if (rune.Value is '-' or '\'' or '’')
            {
                builder.Append(rune);
            }
            else
            {
                builder.Append(' ');
            }
        }

        var words = new List<string>();
        foreach (var raw in builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.Trim('-', '\'', '’');
            if (word.Length > 0 && !(word == "<>" && words.Count > 0 && words[^1] == "<>"))
            {
                words.Add(word);
            }
        }

        return string.Join(' ', words);
    }

    private static bool IsEmojiRange(Rune rune) => rune.Value is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF;

    [GeneratedRegex(@"^(re|fw|fwd|aw|wg|sv|vs|tr|accepted|declined|tentative|tentatively accepted|updated invitation|updated invitation with note|invitation|updated|new time proposed|reminder)\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MailPrefix();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])(1\s*[:\-]\s*1|1\s*on\s*1|1on1|one[\s\-]on[\s\-]one|o3)(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex OneOnOne();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])([a-z]{2,10}-\d{1,7}|#\d{2,})(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex Ticket();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])\d{1,4}([./:]\d{1,4}){1,2}(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex DateOrTime();

    [GeneratedRegex(@"(?<![\p{L}\p{N}])\d+(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex BareNumber();
}
