using ExecutionTrap.Storage.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;

namespace ExecutionTrap.Storage;

/// <summary>
/// The application's data. One model, two providers: each provider has its own subclass so
/// that SQLite and PostgreSQL keep separate, provider-correct migrations.
/// </summary>
public abstract class ExecutionTrapDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Leader> Leaders => Set<Leader>();

    public DbSet<RoleEntity> Roles => Set<RoleEntity>();

    public DbSet<CalendarConnection> Connections => Set<CalendarConnection>();

    public DbSet<StoredMeeting> Meetings => Set<StoredMeeting>();

    public DbSet<ReportDelivery> ReportDeliveries => Set<ReportDelivery>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<RoleRule> RoleRules => Set<RoleRule>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ClassificationRule> ClassificationRules => Set<ClassificationRule>();

    public DbSet<SeriesCorrection> SeriesCorrections => Set<SeriesCorrection>();

    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as UTC timestamps: sortable text in SQLite, timestamptz in PostgreSQL.
        configurationBuilder.Properties<Instant>().HaveConversion<InstantConverter>();
        configurationBuilder.Properties<Instant?>().HaveConversion<InstantConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Organisation>(e =>
        {
            e.HasIndex(o => o.Domain).IsUnique();
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Domain).HasMaxLength(200);
        });

        modelBuilder.Entity<Leader>(e =>
        {
            // Two tenants may each have a person with the same address: the account key is the issuer and subject.
            e.HasIndex(l => l.Email);
            e.HasIndex(l => new { l.IdentityIssuer, l.IdentitySubject }).IsUnique();
            e.Property(l => l.Email).HasMaxLength(320);
            e.Property(l => l.IdentityIssuer).HasMaxLength(300);
            e.Property(l => l.IdentitySubject).HasMaxLength(320);
            e.Property(l => l.DisplayName).HasMaxLength(200);
            e.Property(l => l.TimeZone).HasMaxLength(100);
            e.Property(l => l.JobTitle).HasMaxLength(200);
            e.HasOne(l => l.Organisation).WithMany(o => o.Leaders).HasForeignKey(l => l.OrganisationId);
            e.HasOne(l => l.Role).WithMany().HasForeignKey(l => l.RoleId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<RoleEntity>(e =>
        {
            e.ToTable("Roles");
            e.HasIndex(r => new { r.OrganisationId, r.Name }).IsUnique();
            e.Property(r => r.Name).HasMaxLength(100);
            e.Property(r => r.CategoryBounds).HasMaxLength(500);
            e.HasOne<Organisation>().WithMany(o => o.Roles).HasForeignKey(r => r.OrganisationId);
        });

        modelBuilder.Entity<CalendarConnection>(e =>
        {
            e.HasOne(c => c.Leader).WithMany(l => l.Connections).HasForeignKey(c => c.LeaderId);
            e.Property(c => c.Address).HasMaxLength(2048);
            e.Property(c => c.LastError).HasMaxLength(1000);
            e.Property(c => c.Cursor).HasMaxLength(4096);
            e.HasIndex(c => c.Status);
        });

        modelBuilder.Entity<StoredMeeting>(e =>
        {
            e.ToTable("Meetings");
            e.HasIndex(m => new { m.ConnectionId, m.ProviderId }).IsUnique();
            e.HasIndex(m => new { m.ConnectionId, m.Start });
            e.HasIndex(m => m.SeriesId);
            e.Property(m => m.ProviderId).HasMaxLength(512);
            e.Property(m => m.Title).HasMaxLength(1000);
            e.Property(m => m.SeriesId).HasMaxLength(512);
            e.HasOne<CalendarConnection>().WithMany().HasForeignKey(m => m.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ClassificationRule>(e =>
        {
            e.HasIndex(r => r.OrganisationId);
            e.Property(r => r.Pattern).HasMaxLength(500);
            e.Property(r => r.CreatedBy).HasMaxLength(320);
            e.HasOne<Organisation>().WithMany().HasForeignKey(r => r.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SeriesCorrection>(e =>
        {
            e.HasIndex(c => new { c.ConnectionId, c.SeriesId }).IsUnique();
            e.Property(c => c.SeriesId).HasMaxLength(512);
            e.HasOne<CalendarConnection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ModelVersion>(e =>
        {
            e.HasIndex(v => new { v.OrganisationId, v.Version }).IsUnique();
            e.HasIndex(v => new { v.OrganisationId, v.IsActive });
            e.HasOne<Organisation>().WithMany().HasForeignKey(v => v.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ApiToken>(e =>
        {
            e.HasIndex(t => t.Hash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.Hash).HasMaxLength(64);
            e.Property(t => t.Prefix).HasMaxLength(16);
            e.HasOne<Leader>().WithMany().HasForeignKey(t => t.LeaderId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RoleRule>(e =>
        {
            e.Property(r => r.JobTitleContains).HasMaxLength(200);
            e.HasOne<Organisation>().WithMany().HasForeignKey(r => r.OrganisationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(r => r.Role).WithMany().HasForeignKey(r => r.RoleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ReportDelivery>(e =>
        {
            e.HasIndex(d => new { d.LeaderId, d.Week }).IsUnique();
            e.Property(d => d.Week).HasMaxLength(10);
            e.HasOne<Leader>().WithMany().HasForeignKey(d => d.LeaderId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    private sealed class InstantConverter() : ValueConverter<Instant, DateTime>(
        instant => instant.ToDateTimeUtc(),
        value => Instant.FromDateTimeUtc(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
}

internal sealed class SqliteExecutionTrapDbContext(DbContextOptions<SqliteExecutionTrapDbContext> options)
    : ExecutionTrapDbContext(options);

internal sealed class PostgresExecutionTrapDbContext(DbContextOptions<PostgresExecutionTrapDbContext> options)
    : ExecutionTrapDbContext(options);
