using System.ComponentModel.DataAnnotations;

namespace ExecutionTrap.Storage;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Where the application's data lives.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>SQLite (embedded default, a file under <see cref="DataFolder"/>) or PostgreSQL.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The connection string; for SQLite, empty means <c>{DataFolder}/executiontrap.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the embedded database and other local state.</summary>
    [Required]
    public string DataFolder { get; set; } = "App_Data";

    /// <summary>Apply pending migrations at start-up (on for the embedded default; a migration job in production).</summary>
    public bool MigrateOnStart { get; set; } = true;

    internal string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        if (Provider == DatabaseProvider.PostgreSql)
        {
            throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is PostgreSql.");
        }

        return $"Data Source={Path.Combine(DataFolder, "executiontrap.db")}";
    }
}
