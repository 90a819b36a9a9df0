using System.Text.Json.Nodes;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Rendering;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Reports;

/// <summary>
/// The report HTML as a browser lays it out: headless Chromium at a phone's 375 px and the email's 600 px, light
/// and dark. Nothing may be wider than the window. The screenshots land in artifacts/screenshots/ for a person to look at.
/// </summary>
public sealed class ReportLayoutTests : IAsyncLifetime
{
    // Every element whose right edge passes the window, named so that a failure says what overflowed.
    private const string Overflow = """
        JSON.stringify({
          innerWidth: window.innerWidth,
          scrollWidth: document.documentElement.scrollWidth,
          offenders: [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' "' + (e.textContent || '').trim().slice(0, 40) + '"')
        })
        """;

    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly IsoWeek Week = new(2026, 47);

    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"etrap-layout-{Guid.NewGuid():N}")).FullName;
    private HeadlessChromium _browser = null!;

    public async Task InitializeAsync() => _browser = await HeadlessChromium.StartAsync();

    [Theory]
    [InlineData(375, false)]
    [InlineData(375, true)]
    [InlineData(600, false)]
    [InlineData(600, true)]
    public async Task ScoredReport_FitsTheWindow_AtPhoneAndEmailWidthsInLightAndDark(int width, bool dark)
    {
        var html = await WriteAsync("scored", Render(ScoredReport()));

        await _browser.OpenAsync(new Uri(html).AbsoluteUri, width, dark);
        var layout = JsonNode.Parse((string)(await _browser.EvaluateAsync(Overflow))!)!;
        await SaveScreenshotAsync($"report-scored-{width}-{(dark ? "dark" : "light")}.png");

        Assert.Equal(width, (int)layout["innerWidth"]!);
        Assert.True((int)layout["scrollWidth"]! <= width, $"The page is {layout["scrollWidth"]} px wide in a {width} px window.");
        Assert.Empty(layout["offenders"]!.AsArray().Select(o => (string)o!));
        Assert.Equal(dark ? "rgb(35, 36, 39)" : "rgb(255, 255, 255)", (string)(await _browser.EvaluateAsync("getComputedStyle(document.querySelector('.et-card')).backgroundColor"))!);
    }

    [Fact]
    public async Task QuietWeekNote_FitsAPhoneWindow()
    {
        var html = await WriteAsync("quiet", Render(QuietReport()));

        await _browser.OpenAsync(new Uri(html).AbsoluteUri, 375, dark: false);
        var layout = JsonNode.Parse((string)(await _browser.EvaluateAsync(Overflow))!)!;
        await SaveScreenshotAsync("report-quiet-375-light.png");

        Assert.True((int)layout["scrollWidth"]! <= 375, $"The page is {layout["scrollWidth"]} px wide in a 375 px window.");
        Assert.Empty(layout["offenders"]!.AsArray());
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Render(WeeklyReport report)
    {
        using var host = ReportsTestHost.Build(Path.GetTempPath(), new Dictionary<string, string?>
        {
            ["Reports:From"] = "ExecutionTrap <reports@example.com>",
            ["Reports:PublicBaseUrl"] = "https://executiontrap.example.com",
            ["Reports:UnsubscribeKey"] = ReportsTestHost.Key,
        });
        return host.Services.GetRequiredService<WeeklyReportRenderer>().Render(report).HtmlWithInlineChart();
    }

    // The hard cases for a narrow screen: a pasted link as a title (no spaces to break at), a hostile title, a long name.
    private static WeeklyReport ScoredReport()
    {
        var meetings = new[]
        {
            Meeting("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NTg0ZDk2YjQtZjY0Ny00ZGJjLWE0MTEtYzM5N2RmYmY3ZTc0", Category.Execution, 0, 9, 120, attendees: 9, seriesId: "teams"),
            Meeting(ReportsTestHost.HostileTitle, Category.Execution, 1, 9, 90, attendees: 7, seriesId: "steering"),
            Meeting("Escalation: Northwind data-residency exception for the Contoso migration programme", Category.Escalation, 1, 14, 60),
            Meeting("SEV1 bridge – payments", Category.Firefighting, 2, 10, 150, attendees: 26),
            Meeting("Quarterly planning", Category.Strategy, 3, 10, 90, attendees: 6),
            Meeting("Dana / Sam", Category.PeopleDevelopment, 4, 11, 30, attendees: 2),
        };
        var history = Enumerable.Range(1, 7).Select(back =>
        {
            var earlier = Back(Week, back);
            return ExecutionScore.ForWeek(
                [Meeting("Status", Category.Execution, 0, 9, 20 + 15 * back, week: earlier), Meeting("Roadmap", Category.Strategy, 1, 9, 90, week: earlier)],
                earlier,
                Zone);
        });
        var forecast = ExecutionScore.ForWeek([Meeting("Status", Category.Execution, 0, 9, 60, week: Week.Next), Meeting("Offsite", Category.Strategy, 2, 9, 240, week: Week.Next)], Week.Next, Zone);
        return WeeklyReportBuilder.Build(
            new ReportLeader(Guid.NewGuid(), "Maria-Fernanda Albuquerque-Vasconcelos", "Director of Platform Engineering", new RoleTarget(40)),
            ExecutionScore.ForWeek(meetings, Week, Zone),
            history,
            forecast);
    }

    private static WeeklyReport QuietReport() => WeeklyReportBuilder.Build(
        new ReportLeader(Guid.NewGuid(), "Ana Lima", "Head of Platform", new RoleTarget(40)),
        ExecutionScore.ForWeek([], Week, Zone),
        [],
        forecast: null);

    private static IsoWeek Back(IsoWeek week, int count)
    {
        for (var i = 0; i < count; i++)
        {
            week = week.Previous;
        }

        return week;
    }

    private static ClassifiedMeeting Meeting(string title, Category category, int day, int hour, int minutes, int attendees = 5, string? seriesId = null, IsoWeek? week = null)
    {
        var start = (week ?? Week).Monday.PlusDays(day).At(new LocalTime(hour, 0)).InZoneLeniently(Zone).ToInstant();
        return new ClassifiedMeeting(
            new Meeting
            {
                Provider = CalendarProvider.Google,
                ProviderId = $"{title}-{week ?? Week}-{day}-{hour}",
                Title = title,
                Start = start,
                End = start.Plus(Duration.FromMinutes(minutes)),
                AttendeeCount = attendees,
                SeriesId = seriesId,
                IsRecurring = seriesId is not null,
            },
            new MeetingLabel { Category = category, Confidence = 0.9, DecidedBy = "test" });
    }

    private static string ScreenshotFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExecutionTrap.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? throw new InvalidOperationException("The repository root (the folder with ExecutionTrap.sln) was not found above the test binaries.");
        return Directory.CreateDirectory(Path.Combine(root, "artifacts", "screenshots")).FullName;
    }

    private async Task<string> WriteAsync(string name, string html)
    {
        var path = Path.Combine(_folder, name + ".html");
        await File.WriteAllTextAsync(path, html);
        return path;
    }

    private async Task SaveScreenshotAsync(string name) =>
        await File.WriteAllBytesAsync(Path.Combine(ScreenshotFolder(), name), await _browser.ScreenshotAsync());
}
