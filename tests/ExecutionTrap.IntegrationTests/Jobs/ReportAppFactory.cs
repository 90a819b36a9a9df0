using System.Globalization;
using ExecutionTrap.Domain.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.Domain.Scoring;
using ExecutionTrap.IntegrationTests.Reports;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Jobs;

/// <summary>
/// The real web host (Program) on its own SQLite file or a PostgreSQL database, mailing through a real SMTP
/// server, with a leader's meetings seeded straight into storage. The entry assembly is named through a public
/// Web type, because the CLI, referenced too, has a Program class of its own.
/// </summary>
internal sealed class ReportAppFactory(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<ExecutionTrap.Web.Jobs.JobsOptions>
{
    public const string From = "ExecutionTrap <reports@example.com>";

    /// <summary>Once a year: the recurring rounds must not fire in the middle of a test.</summary>
    private const string Never = "0 0 1 1 *";

    public static readonly IsoWeek Week = new(2026, 47);

    public static Dictionary<string, string?> Sqlite(string folder, int smtpPort) => Common(smtpPort, new()
    {
        ["Storage:Provider"] = "Sqlite",
        ["Storage:DataFolder"] = folder,
        ["Jobs:Storage"] = "InMemory",
        ["Jobs:RunWorker"] = "false",
    });

    public static Dictionary<string, string?> Postgres(string connectionString, int smtpPort, int workers) => Common(smtpPort, new()
    {
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:ConnectionString"] = connectionString,
        ["Jobs:Storage"] = "PostgreSql",
        ["Jobs:RunWorker"] = "true",
        ["Jobs:WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture),
    });

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    /// <summary>A leader in Europe/Berlin with a 40 target and, unless <paramref name="quiet"/>, the week of <see cref="ReportsTestHost.Report"/> in storage.</summary>
    public async Task<Guid> SeedLeaderAsync(string email = "ana@example.com", bool quiet = false, bool quietWeekNote = true)
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Example", Domain = $"{Guid.NewGuid():N}.example.com" };
        var role = new RoleEntity { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Name = "Head of Platform", TargetExecutionScore = 40, IsDefault = true };
        var leader = new Leader
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisation.Id,
            RoleId = role.Id,
            Email = email.Replace("@", $"+{Guid.NewGuid():N}@", StringComparison.Ordinal),
            DisplayName = "Ana Lima",
            TimeZone = "Europe/Berlin",
            SendQuietWeekNote = quietWeekNote,
        };
        var connection = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Google, Address = "primary" };
        db.AddRange(organisation, role, leader, connection);
        if (!quiet)
        {
            var report = ReportsTestHost.Report(leader.Id, Week);
            var meetings = report.Score.Meetings.Select(m => m.Source)
                .Concat(Enumerable.Range(1, 7).SelectMany(back => History(back)));
            db.Meetings.AddRange(meetings.Select(m => Stored(connection.Id, m.Meeting, m.Label.Category!.Value)));
        }

        await db.SaveChangesAsync();
        return leader.Id;
    }

    public async Task<Leader> LeaderAsync(Guid leaderId)
    {
        await using var scope = Scope();
        return await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().Leaders.AsNoTracking().SingleAsync(l => l.Id == leaderId);
    }

    public async Task<ReportDelivery?> DeliveryAsync(Guid leaderId, IsoWeek week)
    {
        await using var scope = Scope();
        var text = week.ToString();
        return await scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().ReportDeliveries.AsNoTracking()
            .SingleOrDefaultAsync(d => d.LeaderId == leaderId && d.Week == text);
    }

    public static string MessageId(Guid leaderId, IsoWeek week) => $"weekly-report.{week}.{leaderId:N}@example.com";

    /// <summary>Every message the sink holds with this Message-Id.</summary>
    public static List<MimeMessage> Received(SmtpSinkFixture sink, string messageId) =>
        Directory.Exists(sink.Folder)
            ? [.. Directory.GetFiles(sink.Folder, "*.eml").Select(path => MimeMessage.Load(path)).Where(m => m.MessageId == messageId)]
            : [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    private static Dictionary<string, string?> Common(int smtpPort, Dictionary<string, string?> storage)
    {
        storage["Jobs:SyncCron"] = Never;
        storage["Jobs:ReportsCron"] = Never;
        storage["Retention:PurgeCron"] = Never;
        storage["Serilog:MinimumLevel:Default"] = "Warning";
        storage["Reports:From"] = From;
        storage["Reports:PublicBaseUrl"] = "http://reports.test";
        storage["Reports:UnsubscribeKey"] = ReportsTestHost.Key;
        storage["Reports:Smtp:Host"] = "127.0.0.1";
        storage["Reports:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture);
        storage["Reports:Smtp:StartTls"] = "None";
        storage["Reports:Smtp:TimeoutSeconds"] = "20";
        return storage;
    }

    // The same earlier weeks ReportsTestHost.Report scores, so the trend chart has bars to draw.
    private static IEnumerable<ClassifiedMeeting> History(int back)
    {
        var earlier = Week;
        for (var i = 0; i < back; i++)
        {
            earlier = earlier.Previous;
        }

        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        return ExecutionScore.ForWeek(
            [Classified($"Status {back}", Category.Execution, earlier.Monday.At(new LocalTime(9, 0)).InZoneLeniently(zone).ToInstant(), 30 + 10 * back),
             Classified($"Roadmap {back}", Category.Strategy, earlier.Monday.PlusDays(1).At(new LocalTime(9, 0)).InZoneLeniently(zone).ToInstant(), 60)],
            earlier,
            zone).Meetings.Select(m => m.Source);
    }

    private static ClassifiedMeeting Classified(string title, Category category, Instant start, int minutes) => new(
        new Meeting { Provider = CalendarProvider.Google, ProviderId = $"{title}-{start}", Title = title, Start = start, End = start + Duration.FromMinutes(minutes), AttendeeCount = 4 },
        new MeetingLabel { Category = category, Confidence = 0.9, DecidedBy = "test" });

    private static StoredMeeting Stored(Guid connectionId, Meeting meeting, Category category) => new()
    {
        ConnectionId = connectionId,
        ProviderId = meeting.ProviderId,
        Provider = meeting.Provider,
        Title = meeting.Title,
        Start = meeting.Start,
        End = meeting.End,
        AttendeeCount = meeting.AttendeeCount,
        IsRecurring = meeting.IsRecurring,
        SeriesId = meeting.SeriesId,
        IsOrganizer = meeting.IsOrganizer,
        Category = category,
        Confidence = 0.9,
        DecidedBy = "test",
    };
}
