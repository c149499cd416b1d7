using FluentMigrator;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Name search with a birth year, led by rare keys (PostgreSQL only): the key function now also
/// gives each name-word prefix qualified by the birth year ("1990:thi"), and the GIN index is
/// rebuilt over it, since an index over an IMMUTABLE function is not recomputed when the function
/// changes. SQLite's FTS5 index is not touched. See <see cref="CitizenSearchIndex"/>.
/// The rebuild reads every citizen: minutes on a registry of millions, during which the table
/// takes no writes.
/// </summary>
[Migration(2026_12_02_100, "Population: search keys qualified by birth year (PostgreSQL)")]
public sealed class M0100_CitizenSearchYearKeys : Migration
{
    public override void Up()
    {
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.DropPostgresIndexSql);
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.CreatePostgresFunctionSql);
        // The default 64 MB spills a large build to disk; SET LOCAL ends with the migration's transaction.
        IfDatabase(IsPostgres).Execute.Sql("SET LOCAL maintenance_work_mem = '512MB'");
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.CreatePostgresIndexSql);
    }

    public override void Down()
    {
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.DropPostgresIndexSql);
        IfDatabase(IsPostgres).Execute.Sql(M0080_CitizenNameSearch.CreateKeyFunctionSql);
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.CreatePostgresIndexSql);
    }

    private static bool IsPostgres(string type) => type.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase);
}
