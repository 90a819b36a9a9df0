using ExecutionTrap.Storage;
using ExecutionTrap.Web.Jobs;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ExecutionTrap.Web.Hosting;

/// <summary>
/// <c>dotnet ExecutionTrap.Web.dll --migrate</c>: applies the database migrations and Hangfire's schema, then
/// exits. The Kubernetes migration Job and the local topology run it once before any web or worker starts.
/// </summary>
public static partial class MigrationCommand
{
    public const string Flag = "--migrate";

    /// <summary>Runs the migrations and returns true when the arguments ask for them; the caller then exits.</summary>
    public static async Task<bool> RunMigrationsIfRequestedAsync(this WebApplication app, string[] args)
    {
        if (!args.Contains(Flag, StringComparer.Ordinal))
        {
            return false;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrationCommand).FullName!);
        try
        {
            await app.Services.MigrateStorageAsync();
            var jobs = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
            if (jobs.Storage == JobStorageKind.PostgreSql)
            {
                await using var connection = new NpgsqlConnection(JobsHostingExtensions.ResolveConnectionString(app.Configuration, jobs));
                await connection.OpenAsync();
                PostgreSqlObjectsInstaller.Install(connection);
            }

            LogMigrated(logger);
        }
        catch (Exception e)
        {
            LogMigrationFailed(logger, e.GetType().Name, e.Message);
            Environment.ExitCode = 1;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrations applied: the database and the job storage are up to date")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Migrations failed ({ErrorType}): {Error}")]
    private static partial void LogMigrationFailed(ILogger logger, string errorType, string error);
}
