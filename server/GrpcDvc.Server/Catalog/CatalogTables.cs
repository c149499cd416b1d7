using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Catalog;

/// <summary>The catalog's tables in the shared context.</summary>
public static class CatalogTables
{
    public static DbSet<AgencyLevelRecord> AgencyLevels(this DvcDbContext db) => db.Set<AgencyLevelRecord>();

    public static DbSet<ProcedureRecord> Procedures(this DvcDbContext db) => db.Set<ProcedureRecord>();

    public static DbSet<FormRecord> Forms(this DvcDbContext db) => db.Set<FormRecord>();
}
