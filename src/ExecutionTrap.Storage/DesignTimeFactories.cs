using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExecutionTrap.Storage;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteExecutionTrapDbContext>
{
    public SqliteExecutionTrapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteExecutionTrapDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresExecutionTrapDbContext>
{
    public PostgresExecutionTrapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresExecutionTrapDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
