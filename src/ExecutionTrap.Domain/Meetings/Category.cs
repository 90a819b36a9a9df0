namespace ExecutionTrap.Domain.Meetings;

/// <summary>What a leader's time in a meeting is spent on (label-guide.md).</summary>
public enum Category
{
    Execution,
    Escalation,
    Firefighting,
    Strategy,
    PeopleDevelopment,
}

/// <summary>Why an event never enters a score; declared in the order the label guide gives precedence.</summary>
public enum ExclusionReason
{
    Cancelled,
    Declined,
    AllDay,
    OutOfOffice,
    Free,
    NotAMeeting,
}

/// <summary>The spelling of categories and exclusion reasons at the edges: files, JSON, the CLI.</summary>
public static class Labels
{
    public const string Excluded = "excluded";

    private static readonly string[] CategorySlugs =
        ["execution", "escalation", "firefighting", "strategy", "people-development"];

    private static readonly string[] ExclusionSlugs =
        ["cancelled", "declined", "all-day", "out-of-office", "free", "not-a-meeting"];

    public static IReadOnlyList<Category> AllCategories { get; } = Enum.GetValues<Category>();

    public static string ToSlug(this Category category) => CategorySlugs[(int)category];

    public static string ToSlug(this ExclusionReason reason) => ExclusionSlugs[(int)reason];

    public static bool IsExecutionSide(this Category category) =>
        category is Category.Execution or Category.Escalation or Category.Firefighting;

    public static bool TryParseCategory(string? slug, out Category category)
    {
        var index = Array.FindIndex(CategorySlugs, s => string.Equals(s, slug?.Trim(), StringComparison.OrdinalIgnoreCase));
        category = index < 0 ? default : (Category)index;
        return index >= 0;
    }

    public static bool TryParseExclusion(string? slug, out ExclusionReason reason)
    {
        var index = Array.FindIndex(ExclusionSlugs, s => string.Equals(s, slug?.Trim(), StringComparison.OrdinalIgnoreCase));
        reason = index < 0 ? default : (ExclusionReason)index;
        return index >= 0;
    }
}
