using System.ComponentModel.DataAnnotations;
using ExecutionTrap.Calendars.Ics;

namespace ExecutionTrap.Calendars;

/// <summary>Calendar sync settings (section <c>Calendars</c>).</summary>
public sealed class CalendarsOptions : IValidatableObject
{
    public const string SectionName = "Calendars";

    /// <summary>How many weeks before today a full read covers.</summary>
    [Range(0, 104)]
    public int SyncWindowWeeksBack { get; set; } = 8;

    /// <summary>How many weeks after today a full read covers.</summary>
    [Range(0, 52)]
    public int SyncWindowWeeksAhead { get; set; } = 2;

    /// <summary>ICS files and feeds.</summary>
    public IcsOptions Ics { get; set; } = new();

    // ValidateDataAnnotations does not descend into nested objects by itself.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Ics, new ValidationContext(Ics), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult(
            $"{SectionName}:{nameof(Ics)}: {r.ErrorMessage}",
            r.MemberNames.Select(m => $"{nameof(Ics)}.{m}")));
    }
}
