using ExecutionTrap.Domain.Meetings;
using NodaTime;

namespace ExecutionTrap.Storage.Entities;

/// <summary>What an organisation rule compares with a meeting.</summary>
public enum RulePatternKind
{
    /// <summary>The title contains the pattern, ignoring case.</summary>
    TitleContains,

    /// <summary>The title matches the pattern as a .NET regular expression (with a match timeout).</summary>
    TitleRegex,

    /// <summary>One of the provider's categories (Outlook tags) equals the pattern, ignoring case.</summary>
    ProviderCategoryEquals,
}

/// <summary>An organisation's own rule: applied before the model and winning over it.</summary>
public sealed class ClassificationRule
{
    public Guid Id { get; set; }

    public Guid OrganisationId { get; set; }

    public RulePatternKind Kind { get; set; }

    public required string Pattern { get; set; }

    /// <summary>The category a matching meeting gets; null when the rule excludes it as not a meeting.</summary>
    public Category? Category { get; set; }

    /// <summary>The e-mail address of the admin who created the rule.</summary>
    public required string CreatedBy { get; set; }

    public Instant CreatedAt { get; set; }
}
