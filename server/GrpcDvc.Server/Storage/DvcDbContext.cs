using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// The one EF Core context. Its schema is created by the versioned migrations in Migrations/
/// (no EF design-time tooling here); SchemaMatchesModel tests hold the two together.
/// Names are snake_case on every provider so the migrations read the same everywhere: the
/// options carry EFCore.NamingConventions' UseSnakeCaseNamingConvention (ServerHost.UseProvider),
/// and StorageTests holds the mapped names to the migrated ones. Storage knows no capability: each
/// maps its own rows (IEntityTypeConfiguration in its folder) and reads them through Set&lt;T&gt;().
/// </summary>
public sealed class DvcDbContext(DbContextOptions<DvcDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring every instance shares (Identity/IdentitySecrets).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The conventions of the model, shared with <see cref="StandbyDbContext"/>.</summary>
    internal static void AddConventions(ModelConfigurationBuilder configurationBuilder)
        => configurationBuilder.Properties<DateTimeOffset>().HaveConversion<InstantConverter>();

    /// <summary>Every capability's rows, shared with <see cref="StandbyDbContext"/>.</summary>
    internal static void AddModel(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(DvcDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
        => AddConventions(configurationBuilder);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => AddModel(modelBuilder);
}
