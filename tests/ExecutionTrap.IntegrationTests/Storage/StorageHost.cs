using ExecutionTrap.Domain.Meetings;
using ExecutionTrap.IntegrationTests.Support;
using ExecutionTrap.Storage;
using ExecutionTrap.Storage.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace ExecutionTrap.IntegrationTests.Storage;

/// <summary>The real storage composition (AddStorage + migrations) on SQLite or PostgreSQL.</summary>
internal sealed class StorageHost : IAsyncDisposable
{
    private readonly string? _folder;

    private StorageHost(IHost host, string? folder)
    {
        Host = host;
        _folder = folder;
    }

    public IHost Host { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    public static async Task<StorageHost> StartAsync(string provider, PostgresServer? postgres = null)
    {
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = provider };
        string? folder = null;
        if (provider == "PostgreSql")
        {
            settings["Storage:ConnectionString"] = await postgres!.CreateDatabaseAsync();
        }
        else
        {
            folder = Path.Combine(Path.GetTempPath(), $"etrap-sqlite-{Guid.NewGuid():N}");
            settings["Storage:DataFolder"] = folder;
        }

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStorage();
        var host = builder.Build();
        var storage = new StorageHost(host, folder);
        await host.Services.MigrateStorageAsync();
        return storage;
    }

    public AsyncServiceScope Scope() => Host.Services.CreateAsyncScope();

    public async Task<Guid> AddConnectionAsync()
    {
        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "example.com", Domain = $"{Guid.NewGuid():N}.example.com" };
        var leader = new Leader { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Email = $"{Guid.NewGuid():N}@example.com", DisplayName = "Dana" };
        var connection = new CalendarConnection { Id = Guid.NewGuid(), LeaderId = leader.Id, Provider = CalendarProvider.Ics, Address = "calendar.ics" };
        db.AddRange(organisation, leader, connection);
        await db.SaveChangesAsync();
        return connection.Id;
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

    public static Meeting Meeting(string id, string title = "Weekly status", int day = 16) => new()
    {
        Provider = CalendarProvider.Ics,
        ProviderId = id,
        Title = title,
        Start = Instant.FromUtc(2026, 11, day, 9, 0),
        End = Instant.FromUtc(2026, 11, day, 10, 0),
        AttendeeCount = 6,
    };
}
