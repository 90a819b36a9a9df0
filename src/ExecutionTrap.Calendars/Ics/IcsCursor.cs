using System.Diagnostics.CodeAnalysis;
using NodaTime;
using NodaTime.Text;

namespace ExecutionTrap.Calendars.Ics;

/// <summary>
/// What an ICS read stored: the hash of the body and the range of time it expanded. A later read
/// of the same body for a window inside that range has nothing new to say, even though the sync
/// window slides forward a little on every run.
/// </summary>
/// <example><c>sha256:9f86d0…;expanded:20260101T000000Z/20260320T000000Z</c></example>
internal sealed record IcsCursor(string ContentHash, Interval Expanded)
{
    private const string HashPrefix = "sha256:";
    private const string RangePrefix = ";expanded:";

    private static readonly InstantPattern Pattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    public bool Covers(Interval window) => Expanded.Start <= window.Start && window.End <= Expanded.End;

    public override string ToString() =>
        $"{HashPrefix}{ContentHash}{RangePrefix}{Pattern.Format(Expanded.Start)}/{Pattern.Format(Expanded.End)}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out IcsCursor? cursor)
    {
        cursor = null;
        var range = text?.IndexOf(RangePrefix, StringComparison.Ordinal) ?? -1;
        if (text is null || range < 0 || !text.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var bounds = text[(range + RangePrefix.Length)..].Split('/');
        if (bounds.Length != 2
            || !Pattern.Parse(bounds[0]).TryGetValue(default, out var start)
            || !Pattern.Parse(bounds[1]).TryGetValue(default, out var end)
            || end < start)
        {
            return false;
        }

        cursor = new IcsCursor(text[HashPrefix.Length..range], new Interval(start, end));
        return true;
    }
}
