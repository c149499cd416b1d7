using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Storage;

/// <summary>
/// Where reads that may lag the primary go (the registry's lookups and searches): the hot standby's
/// <see cref="StandbyDbContext"/> when Dvc:Database:ReadConnectionString is set, else the request's own
/// <see cref="DvcDbContext"/> on the primary, as before. Only reads: whatever must be committed (the
/// access log above all) keeps <see cref="DvcDbContext"/>.
/// </summary>
public sealed class ReadDatabase(DbContext context)
{
    /// <summary>The context to query; never to save.</summary>
    public DbContext Context { get; } = context;

    /// <summary>True when the reads go to a standby (and so may miss the primary's latest commits).</summary>
    public bool IsStandby => Context is StandbyDbContext;
}
