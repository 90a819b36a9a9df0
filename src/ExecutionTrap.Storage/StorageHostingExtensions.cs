using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ExecutionTrap.Storage;

public static class StorageHostingExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations();

        var options = builder.Configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();

        // A relative data folder lives under the content root, wherever the process was started from.
        if (!Path.IsPathRooted(options.DataFolder))
        {
            options.DataFolder = Path.Combine(builder.Environment.ContentRootPath, options.DataFolder);
        }

        var connectionString = options.ResolveConnectionString();
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            Directory.CreateDirectory(options.DataFolder);
            builder.Services.AddDbContext<ExecutionTrapDbContext, SqliteExecutionTrapDbContext>(o => o.UseSqlite(connectionString));
        }
        else
        {
            builder.Services.AddDbContext<ExecutionTrapDbContext, PostgresExecutionTrapDbContext>(o => o.UseNpgsql(connectionString));
        }

        // Every worker reads the same key ring, so a token protected by one is readable by all.
        builder.Services.AddDataProtection()
            .SetApplicationName("ExecutionTrap")
            .PersistKeysToDbContext<ExecutionTrapDbContext>();

        builder.Services.AddHealthChecks().AddDbContextCheck<ExecutionTrapDbContext>("database", tags: ["ready"]);
        return builder;
    }

    /// <summary>Applies pending migrations of whichever provider is configured.</summary>
    public static async Task MigrateStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
