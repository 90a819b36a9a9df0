using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Web.Auth;

/// <summary>Personal API tokens for scripts.</summary>
public sealed class ApiTokenOptions
{
    public const string SectionName = "ApiTokens";

    /// <summary>How many days a new token lives; an expired token is refused (401). Default 90.</summary>
    [Range(1, 366)]
    public int LifetimeDays { get; set; } = 90;
}
