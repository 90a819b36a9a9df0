using ExecutionTrap.Classification;
using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using ExecutionTrap.Web.Classification;
using ExecutionTrap.Web.Privacy;
using ExecutionTrap.Web.Weeks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Classification;

/// <summary>
/// The real storage, classification and classification-service composition on a throwaway
/// database, not started (no Hangfire): the services are resolved and called directly.
/// </summary>
internal sealed class ClassificationHost : IAsyncDisposable
{
    public static readonly Instant Now = Instant.FromUtc(2026, 11, 24, 8, 0);

    private readonly string? _folder;

    private ClassificationHost(IHost host, string? folder, FakeTimeProvider time)
    {
        Host = host;
        _folder = folder;
        Time = time;
    }

    public IHost Host { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<ClassificationHost> StartAsync(string provider = "Sqlite", PostgresServer? postgres = null, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Storage:Provider"] = provider };
        string? folder = null;
        if (provider == "PostgreSql")
        {
            configuration["Storage:ConnectionString"] = await postgres!.CreateDatabaseAsync();
        }
        else
        {
            folder = Path.Combine(Path.GetTempPath(), $"etrap-class-{Guid.NewGuid():N}");
            configuration["Storage:DataFolder"] = folder;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddStorage();
        builder.AddClassification();
        builder.AddPrivacy();
        builder.AddClassificationServices();
        builder.Services.AddSingleton(DateTimeZoneProviders.Tzdb);
        builder.Services.AddScoped<LeaderWeeks>();
        var time = new FakeTimeProvider(Now.ToDateTimeOffset());
        builder.Services.AddSingleton<TimeProvider>(time);
        var host = new ClassificationHost(builder.Build(), folder, time);
        await host.Host.Services.MigrateStorageAsync();
        return host;
    }

    public AsyncServiceScope Scope() => Host.Services.CreateAsyncScope();

    public T Singleton<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    public static T Get<T>(AsyncServiceScope scope)
        where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    /// <summary>An organisation with one leader (an admin when asked) and one ICS connection.</summary>
    public async Task<(Guid OrganisationId, Guid LeaderId, Guid ConnectionId)> AddLeaderAsync(Guid? organisationId = null, bool isAdmin = false)
    {
        await using var scope = Scope();
        var db = Get<ExecutionTrapDbContext>(scope);
        if (organisationId is null)
        {
            var organisation = new Organisation { Id = Guid.NewGuid(), Name = "Example", Domain = $"{Guid.NewGuid():N}.example.com" };
            db.Organisations.Add(organisation);
            organisationId = organisation.Id;
        }

        var leader = new Leader { Id = Guid.NewGuid(), OrganisationId = organisationId.Value, Email = $"{Guid.NewGuid():N}@example.com", DisplayName = "Dana", IsAdmin = isAdmin };
        var connection = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Ics, Address = "calendar.ics" };
        db.AddRange(leader, connection);
        await db.SaveChangesAsync();
        return (organisationId.Value, leader.Id, connection.Id);
    }

    /// <summary>Stores a meeting as a sync would have, with the category the model gave it.</summary>
    public async Task<long> AddMeetingAsync(
        Guid connectionId, string title, Instant start, Category? category, int minutes = 60, bool isPrivate = false, string? seriesId = null, Category? corrected = null)
    {
        await using var scope = Scope();
        var db = Get<ExecutionTrapDbContext>(scope);
        var meeting = new StoredMeeting
        {
            ConnectionId = connectionId,
            ProviderId = Guid.NewGuid().ToString("N"),
            Title = title,
            Start = start,
            End = start + Duration.FromMinutes(minutes),
            AttendeeCount = 4,
            IsPrivate = isPrivate,
            IsRecurring = seriesId is not null,
            SeriesId = seriesId,
            Category = category,
            Excluded = category is null ? ExclusionReason.NotAMeeting : null,
            Confidence = 0.9,
            DecidedBy = "m-test",
            CorrectedCategory = corrected,
            UpdatedAt = Now,
        };
        db.Meetings.Add(meeting);
        await db.SaveChangesAsync();
        return meeting.Id;
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }

        await Task.CompletedTask;
    }
}
