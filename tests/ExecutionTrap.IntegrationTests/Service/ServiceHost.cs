using ExecutionTrap.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExecutionTrap.IntegrationTests.Service;

/// <summary>
/// The real service (Program) on the embedded default: SQLite in a temporary folder, Hangfire in
/// memory, reports as .eml files in a pickup folder; the clock is fixed so weeks are known.
/// </summary>
internal sealed class ServiceHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ServiceHost(DateTimeOffset now, Dictionary<string, string?>? settings = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"etrap-host-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        Time = new FakeTimeProvider(now);
        _settings = new Dictionary<string, string?>
        {
            ["Storage:DataFolder"] = Path.Combine(Folder, "data"),
            ["Reports:PickupFolder"] = MailFolder,
            ["Jobs:SyncCron"] = "0 0 1 1 *",
            ["Jobs:ReportsCron"] = "0 0 1 1 *",
            ["Retention:PurgeCron"] = "0 0 1 1 *",
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string Folder { get; }

    public string MailFolder => Path.Combine(Folder, "mail");

    public FakeTimeProvider Time { get; }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ExecutionTrap.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No ExecutionTrap.sln above {AppContext.BaseDirectory}.");
        }
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public static ExecutionTrapDbContext Db(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // a file still held by a finishing background job; the OS temp cleaner takes it
            }
        }
    }
}
