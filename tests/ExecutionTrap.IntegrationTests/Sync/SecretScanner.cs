using System.Data.Common;
using System.Text;
using ExecutionTrap.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExecutionTrap.IntegrationTests.Sync;

/// <summary>Looks for secrets in every text value of every table, and in the bytes of the SQLite files.</summary>
internal static class SecretScanner
{
    /// <summary>Where each secret was found, as "table: value" lines; empty when nowhere.</summary>
    public static Task<List<string>> FindInDatabaseAsync(SyncTestHost host, IReadOnlyList<string> secrets) =>
        FindInDatabaseAsync(host.Host.Services, host.Database == "PostgreSql", secrets);

    /// <summary>Where each secret was found in the database of any host, as "table: value" lines; empty when nowhere.</summary>
    public static async Task<List<string>> FindInDatabaseAsync(IServiceProvider services, bool postgres, IReadOnlyList<string> secrets)
    {
        await using var scope = services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<ExecutionTrapDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        var hits = new List<string>();
        var tables = await ListAsync(connection, postgres
            ? "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
            : "SELECT '\"' || name || '\"' FROM sqlite_master WHERE type = 'table'");
        Assert.Contains(tables, t => t.Contains("Connections", StringComparison.Ordinal));
        foreach (var table in tables)
        {
            // A row cast to text holds every column of the row; SQLite gives each value as it is stored.
            await using var command = connection.CreateCommand();
            command.CommandText = postgres ? $"SELECT t::text FROM {table} AS t" : $"SELECT * FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.GetValue(i) switch
                    {
                        string s => s,
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        _ => null,
                    };
                    hits.AddRange(secrets.Where(s => text?.Contains(s, StringComparison.Ordinal) == true).Select(s => $"{table}: {text}"));
                }
            }
        }

        return hits;
    }

    /// <summary>The SQLite database, its write-ahead log and shared memory, byte for byte (UTF-8 and UTF-16).</summary>
    public static List<string> FindInFiles(IEnumerable<string> paths, IReadOnlyList<string> secrets)
    {
        var hits = new List<string>();
        foreach (var path in paths.Where(File.Exists))
        {
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            foreach (var secret in secrets)
            {
                if (bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0 || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) >= 0)
                {
                    hits.Add($"{Path.GetFileName(path)} holds {secret}");
                }
            }
        }

        return hits;
    }

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
