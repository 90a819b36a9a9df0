using System.Text.RegularExpressions;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Storage.Entities;

namespace ExecutionTrap.Web.Classification;

/// <summary>An organisation rule ready to match meetings; a regex that runs too long counts as no match.</summary>
internal sealed class CompiledRule
{
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(50);

    private readonly Regex? _regex;

    public CompiledRule(Guid id, RulePatternKind kind, string pattern, Category? category)
    {
        Id = id;
        Kind = kind;
        Pattern = pattern.Trim();
        Category = category;
        _regex = kind == RulePatternKind.TitleRegex
            ? new Regex(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout)
            : null;
    }

    public CompiledRule(ClassificationRule rule)
        : this(rule.Id, rule.Kind, rule.Pattern, rule.Category)
    {
    }

    public Guid Id { get; }

    public RulePatternKind Kind { get; }

    public string Pattern { get; }

    /// <summary>The category a match gets; null: excluded as not a meeting.</summary>
    public Category? Category { get; }

    public string DecidedBy => $"rule:{Id}";

    public bool Matches(Meeting meeting)
    {
        switch (Kind)
        {
            case RulePatternKind.TitleContains:
                return meeting.Title.Contains(Pattern, StringComparison.OrdinalIgnoreCase);
            case RulePatternKind.TitleRegex:
                try
                {
                    return _regex!.IsMatch(meeting.Title);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }

            case RulePatternKind.ProviderCategoryEquals:
                return meeting.ProviderCategories.Any(c => string.Equals(c.Trim(), Pattern, StringComparison.OrdinalIgnoreCase));
            default:
                return false;
        }
    }

    public MeetingLabel Label()
    {
        IReadOnlyList<string> evidence = [Describe()];
        return Category is { } category
            ? new MeetingLabel { Category = category, Confidence = 1, Evidence = evidence, DecidedBy = DecidedBy }
            : MeetingLabel.ExcludedBy(ExclusionReason.NotAMeeting, DecidedBy, evidence);
    }

    public string Describe() => Kind switch
    {
        RulePatternKind.TitleContains => $"organisation rule: title contains '{Pattern}'",
        RulePatternKind.TitleRegex => $"organisation rule: title matches /{Pattern}/",
        _ => $"organisation rule: category '{Pattern}'",
    };

    /// <summary>What is wrong with a pattern, or null when it can be saved.</summary>
    public static string? Problem(RulePatternKind kind, string? pattern)
    {
        if (!Enum.IsDefined(kind))
        {
            return $"'{kind}' is not a rule kind (titleContains, titleRegex or providerCategoryEquals).";
        }

        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "The pattern is empty.";
        }

        if (pattern.Length > 500)
        {
            return "The pattern is longer than 500 characters.";
        }

        if (kind == RulePatternKind.TitleRegex)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                return $"The pattern is not a valid regular expression: {e.Message}";
            }
        }

        return null;
    }
}
