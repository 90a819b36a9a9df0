using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Calendars;

namespace ExecutionTrap.Domain.Scoring;

/// <summary>An ISO 8601 week ("2026-W47"): Monday to Sunday, week 1 holds the year's first Thursday.</summary>
public readonly partial record struct IsoWeek(int Year, int Week) : IComparable<IsoWeek>
{
    private static readonly IWeekYearRule Rule = WeekYearRules.Iso;

    public LocalDate Monday => Rule.GetLocalDate(Year, Week, IsoDayOfWeek.Monday);

    public IsoWeek Next => FromDate(Monday.PlusWeeks(1));

    public IsoWeek Previous => FromDate(Monday.PlusWeeks(-1));

    public IsoWeek PlusWeeks(int weeks) => FromDate(Monday.PlusWeeks(weeks));

    public static IsoWeek FromDate(LocalDate date) =>
        new(Rule.GetWeekYear(date), Rule.GetWeekOfWeekYear(date));

    public static IsoWeek Containing(Instant instant, DateTimeZone zone) =>
        FromDate(instant.InZone(zone).Date);

    /// <summary>The instants the week spans in a zone: its length is 167 or 169 hours in DST-change weeks.</summary>
    public Interval InZone(DateTimeZone zone) =>
        new(Monday.AtStartOfDayInZone(zone).ToInstant(), Monday.PlusWeeks(1).AtStartOfDayInZone(zone).ToInstant());

    public static bool TryParse(string? text, out IsoWeek week)
    {
        week = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success)
        {
            return false;
        }

        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var number = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year < 1900 || year > 2200 || number < 1 || number > Rule.GetWeeksInWeekYear(year))
        {
            return false;
        }

        week = new IsoWeek(year, number);
        return true;
    }

    public static IsoWeek Parse(string text) =>
        TryParse(text, out var week) ? week : throw new FormatException($"'{text}' is not an ISO week such as 2026-W47.");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Week:D2}");

    public int CompareTo(IsoWeek other) => Year != other.Year ? Year.CompareTo(other.Year) : Week.CompareTo(other.Week);

    public static bool operator <(IsoWeek left, IsoWeek right) => left.CompareTo(right) < 0;

    public static bool operator >(IsoWeek left, IsoWeek right) => left.CompareTo(right) > 0;

    public static bool operator <=(IsoWeek left, IsoWeek right) => left.CompareTo(right) <= 0;

    public static bool operator >=(IsoWeek left, IsoWeek right) => left.CompareTo(right) >= 0;

    [GeneratedRegex(@"^(\d{4})-?W(\d{1,2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
