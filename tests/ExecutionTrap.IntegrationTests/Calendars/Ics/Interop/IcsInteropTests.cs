using System.Text.Json;
using ExecutionTrap.IntegrationTests.Cli;

namespace ExecutionTrap.IntegrationTests.Calendars.Ics.Interop;

/// <summary>
/// `etrap analyze` against other iCalendar libraries' own test calendars: recurrences, overrides,
/// time zones, cancelled instances, malformed components. What each week must list comes from an
/// independent expansion (Python's recurring-ical-events, on icalendar and dateutil), written
/// beside each calendar by expand.py; where a calendar came from and its licence are in
/// PROVENANCE.md. The comparison is occurrence for occurrence: title, start, end, and whether it is
/// listed as cancelled.
/// </summary>
public sealed class IcsInteropTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Calendars", "Ics", "Interop", "calendars");

    public static TheoryData<string> Calendars()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.ics").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void Calendars_AreAtLeastFifteen_EachWithItsExpectation()
    {
        var calendars = Directory.GetFiles(Folder, "*.ics");

        Assert.True(calendars.Length >= 15, $"{calendars.Length} interop calendars");
        Assert.All(calendars, c => Assert.True(File.Exists(Path.ChangeExtension(c, ".expected.json")), c));
    }

    [Theory]
    [MemberData(nameof(Calendars))]
    public async Task Analyze_ListsWhatAnIndependentExpansionLists_ForEachWeek(string calendar)
    {
        var path = Path.Combine(Folder, calendar);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(path, ".expected.json")));

        var weeks = expected.RootElement.GetProperty("weeks").EnumerateArray().ToList();
        Assert.NotEmpty(weeks);
        foreach (var week in weeks)
        {
            var name = week.GetProperty("week").GetString()!;
            var result = await CliRunner.RunAsync("analyze", path, "--week", name, "--timezone", "UTC", "--format", "json");

            Assert.True(result.ExitCode == 0, $"{calendar} {name}: exit {result.ExitCode}: {result.Error}");
            var want = week.GetProperty("occurrences").EnumerateArray().Select(o => Line(
                o.GetProperty("title").GetString()!,
                o.GetProperty("start").GetString()!,
                o.GetProperty("end").GetString()!,
                o.GetProperty("cancelled").GetBoolean())).Order(StringComparer.Ordinal).ToList();
            var got = result.Json().GetProperty("meetings").EnumerateArray().Select(m => Line(
                m.GetProperty("title").GetString()!,
                m.GetProperty("start").GetString()!,
                m.GetProperty("end").GetString()!,
                m.GetProperty("excluded").ValueKind == JsonValueKind.String && m.GetProperty("excluded").GetString() == "cancelled"))
                .Order(StringComparer.Ordinal).ToList();

            Assert.True(
                want.SequenceEqual(got),
                $"{calendar} week {name}\nexpected:\n  {string.Join("\n  ", want)}\netrap analyze:\n  {string.Join("\n  ", got)}");
        }
    }

    private static string Line(string title, string start, string end, bool cancelled) =>
        $"{start} – {end} {(cancelled ? "[cancelled] " : "")}{title}";
}
