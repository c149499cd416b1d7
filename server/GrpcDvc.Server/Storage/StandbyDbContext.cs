using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// A context over the hot standby of Dvc:Database:ReadConnectionString: the same model as
/// <see cref="DvcDbContext"/>, for queries only. A standby refuses every write, and this context
/// refuses them before they are sent: something written here would be a bug, not a lagging read.
/// Registered (pooled) only when a read connection string is configured; see <see cref="ReadDatabase"/>.
/// </summary>
public sealed class StandbyDbContext(DbContextOptions<StandbyDbContext> options) : DbContext(options)
{
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
        => throw ReadOnly();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
        => throw ReadOnly();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
        => DvcDbContext.AddConventions(configurationBuilder);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => DvcDbContext.AddModel(modelBuilder);

    private static InvalidOperationException ReadOnly()
        => new("The standby context is for reads; every write goes to the primary through DvcDbContext.");
}
