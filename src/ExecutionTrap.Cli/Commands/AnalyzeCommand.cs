using System.Globalization;
using System.Text;
using ExecutionTrap.Calendars;
using ExecutionTrap.Calendars.Ics;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Roles;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.Reports;
using ExecutionTrap.Reports.Building;
using ExecutionTrap.Reports.Delivery;
using ExecutionTrap.Reports.Json;
using ExecutionTrap.Reports.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Calendars;

namespace ExecutionTrap.Cli.Commands;

/// <summary>`etrap analyze SOURCE`: classify and score one calendar for one week.</summary>
internal static class AnalyzeCommand
{
    private static readonly string[] ValueOptions = ["--week", "--timezone", "--target", "--format", "--out", "--model", "--email-to", "--smtp", "--owner"];

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var arguments = CliArguments.Parse(args, ValueOptions, []);
        if (arguments.Positionals.Count != 1)
        {
            throw new UsageException("analyze takes one SOURCE: an .ics file or an http(s) URL.");
        }

        var format = arguments.Choice("--format", "text", "text", "json", "html");
        var target = new RoleTarget(arguments.Number("--target", 0, 100) ?? RoleTarget.Default);
        var explicitZone = ParseZone(arguments.Value("--timezone"));
        IsoWeek? explicitWeek = arguments.Value("--week") is { } weekText ? ParseWeek(weekText) : null;
        var smtp = ParseSmtp(arguments.Value("--smtp"));
        var emailTo = arguments.Value("--email-to");
        if (smtp is not null && emailTo is null)
        {
            throw new UsageException("--smtp goes with --email-to.");
        }

        using var host = CliHost.Build(smtp);
        var source = arguments.Positionals[0];
        var feed = await host.Services.GetRequiredService<IcsFeedReader>().ReadAsync(source, cancellationToken);
        var calendar = IcsCalendarParser.Parse(feed.Content, source);

        var zone = explicitZone ?? calendar.TimeZone ?? DateTimeZone.Utc;
        var now = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var week = explicitWeek ?? IsoWeek.Containing(now, zone).Previous;

        // Eight weeks back for the trend, one ahead for the forecast: one expansion, one classification pass.
        var first = WeeklyReportBuilder.FirstTrendWeek(week);

        var window = new Interval(first.InZone(zone).Start, week.Next.InZone(zone).End);
        var limits = host.Services.GetRequiredService<IOptions<CalendarsOptions>>().Value.Ics.Limits;
        var expansion = calendar.Expand(window, arguments.Value("--owner"), limits);
        if (expansion.Warning is { } warning)
        {
            // stdout keeps its contract (the JSON object unchanged); the warning goes beside it.
            await console.Error.WriteLineAsync($"etrap: warning: {source}: {warning}");
        }

        var meetings = expansion.Meetings;
        using var classifier = CliHost.LoadClassifier(arguments.Value("--model"));
        var labels = classifier.Classifier.ClassifyMany(meetings, explain: false);
        var classified = meetings.Zip(labels, (m, l) => new ClassifiedMeeting(m, l)).ToList();

        var score = ExecutionScore.ForWeek(classified, week, zone);
        // The report (trend and forecast included) is built once, for the page and the e-mail alike.
        var report = format == "html" || emailTo is not null ? BuildReport(classified, first, week, zone, target, calendar.Name) : null;
        var output = format switch
        {
            "json" => WeekJson.From(score, target.ExecutionScore).ToJson() + "\n",
            "html" => RenderReport(host, report!).Html,
            _ => Text(score, target, classifier.Classifier.UncertainBelow),
        };

        await WriteAsync(output, arguments.Value("--out"), console, cancellationToken);

        if (emailTo is not null)
        {
            await SendAsync(host, report!, emailTo, cancellationToken);
        }

        return ExitCodes.Success;
    }

    private static WeeklyReport BuildReport(List<ClassifiedMeeting> classified, IsoWeek first, IsoWeek week, DateTimeZone zone, RoleTarget target, string? calendarName)
    {
        var scores = new List<WeekScore>();
        for (var w = first; w <= week.Next; w = w.Next)
        {
            scores.Add(ExecutionScore.ForWeek(classified, w, zone));
        }

        var leader = new ReportLeader(Guid.Empty, calendarName ?? "you", "your role", target);
        return WeeklyReportBuilder.Build(leader, scores);
    }

    private static RenderedReport RenderReport(Microsoft.Extensions.Hosting.IHost host, WeeklyReport report) =>
        host.Services.GetRequiredService<WeeklyReportRenderer>().Render(report);

    private static async Task SendAsync(Microsoft.Extensions.Hosting.IHost host, WeeklyReport report, string address, CancellationToken cancellationToken)
    {
        // --smtp or the service's own Reports:Smtp:Host: a relay that fails is a remote failure (exit 3);
        // without one the report goes to the pickup folder, whose failures are local (exit 1).
        var viaSmtp = !string.IsNullOrWhiteSpace(host.Services.GetRequiredService<IOptions<ReportsOptions>>().Value.Smtp.Host);
        try
        {
            await host.Services.GetRequiredService<WeeklyReportSender>().SendAsync(report, address, cancellationToken);
        }
        catch (MailboxRejectedException e)
        {
            throw new InputException($"--email-to: the mail server refused '{address}' ({e.Message}).");
        }
        catch (Exception e) when (viaSmtp && e is MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException or System.Net.Sockets.SocketException or IOException)
        {
            var relay = host.Services.GetRequiredService<IOptions<ReportsOptions>>().Value.Smtp;
            throw new RemoteServiceException($"the mail server {relay.Host}:{relay.Port} did not take the report for '{address}': {e.Message}");
        }
        catch (FormatException e)
        {
            throw new InputException($"--email-to: '{address}' is not an e-mail address ({e.Message}).");
        }
    }

    private static string Text(WeekScore score, RoleTarget target, double uncertainBelow)
    {
        var text = new StringBuilder();
        var verdict = score.Score is null ? "quiet week" : score.IsTrapped(target.ExecutionScore) ? "trapped in execution" : "within target";
        text.Append(CultureInfo.InvariantCulture, $"Week {score.Week} ({score.Zone.Id}): execution score {Format(score.Score)} (target {target.ExecutionScore:0.#}) — {verdict}\n");
        text.Append(CultureInfo.InvariantCulture, $"Scored minutes: {score.ScoredMinutes}\n");
        foreach (var category in Labels.AllCategories)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {category.ToSlug(),-20}{score.MinutesByCategory[category],6} min\n");
        }

        text.Append('\n');
        foreach (var m in score.Meetings)
        {
            var start = m.Meeting.Start.InZone(score.Zone);
            var decision = m.Label.Category is { } c
                ? $"{c.ToSlug()} {m.Label.Confidence:0.00}{(m.Label.Confidence < uncertainBelow ? " (not sure)" : "")}"
                : $"excluded: {m.Label.Excluded?.ToSlug()}";
            text.Append(CultureInfo.InvariantCulture, $"{start:ddd dd MMM HH:mm}  {m.ScoredMinutes,4} min  {decision,-28}  {m.Meeting.Title}\n");
        }

        return text.ToString();
    }

    private static string Format(double? score) => score is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    private static async Task WriteAsync(string output, string? path, CliConsole console, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            await console.Out.WriteAsync(output);
            return;
        }

        try
        {
            await File.WriteAllTextAsync(path, output, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--out: cannot write '{path}': {e.Message}");
        }
    }

    private static IsoWeek ParseWeek(string text)
    {
        if (IsoWeek.TryParse(text, out var week))
        {
            return week;
        }

        // Well formed but past the year's end: say how many weeks the year has (52 or 53).
        var parts = text.Trim().Split("-W", 2, StringSplitOptions.None);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1900 and <= 2200
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            var weeks = WeekYearRules.Iso.GetWeeksInWeekYear(year);
            throw new InputException($"--week: '{text}' is not an ISO week: {year} has weeks 1 to {weeks}, not {number}.");
        }

        throw new InputException($"--week: '{text}' is not an ISO week such as 2026-W47.");
    }

    private static DateTimeZone? ParseZone(string? id)
    {
        if (id is null)
        {
            return null;
        }

        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? throw new InputException($"--timezone: '{id}' is not an IANA time zone id (for example Europe/London).");
    }

    private static Dictionary<string, string?>? ParseSmtp(string? hostPort)
    {
        if (hostPort is null)
        {
            return null;
        }

        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InputException($"--smtp: '{hostPort}' is not HOST:PORT.");
        }

        return new Dictionary<string, string?>
        {
            ["Reports:Smtp:Host"] = hostPort[..colon],
            ["Reports:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Reports:Smtp:StartTls"] = "None",
            ["Reports:Smtp:Username"] = null,
            ["Reports:Smtp:Password"] = null,
        };
    }
}
