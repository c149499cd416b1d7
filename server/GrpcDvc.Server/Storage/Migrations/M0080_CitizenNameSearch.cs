using FluentMigrator;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Storage.Migrations;

/// <summary>
/// Name search that scales (issue 10): on PostgreSQL the key function and its GIN index, on SQLite
/// an FTS5 table over citizens' folded names with the triggers that keep it current, filled from
/// the rows already there. The folded_name/birth_year B-tree index goes: a substring LIKE never used
/// it, and the new indexes serve every search. See <see cref="CitizenSearchIndex"/>.
/// </summary>
[Migration(2026_11_29_80, "Population: name search index (GIN on PostgreSQL, FTS5 on SQLite)")]
public sealed class M0080_CitizenNameSearch : Migration
{
    private const string OldNameIndex = "ix_citizens_folded_name_birth_year";

    public override void Up()
    {
        Execute.Sql($"DROP INDEX IF EXISTS {OldNameIndex}");
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.CreatePostgresFunctionSql);
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.CreatePostgresIndexSql);
        IfDatabase(IsSqlite).Execute.Sql(CitizenSearchIndex.CreateFtsTableSql);
        foreach (var trigger in CitizenSearchIndex.CreateFtsTriggersSql)
        {
            IfDatabase(IsSqlite).Execute.Sql(trigger);
        }

        IfDatabase(IsSqlite).Execute.Sql(CitizenSearchIndex.RebuildFtsSql);
    }

    public override void Down()
    {
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.DropPostgresIndexSql);
        IfDatabase(IsPostgres).Execute.Sql(CitizenSearchIndex.DropPostgresFunctionSql);
        foreach (var trigger in CitizenSearchIndex.DropFtsTriggersSql)
        {
            IfDatabase(IsSqlite).Execute.Sql(trigger);
        }

        IfDatabase(IsSqlite).Execute.Sql(CitizenSearchIndex.DropFtsTableSql);
        Execute.Sql($"CREATE INDEX IF NOT EXISTS {OldNameIndex} ON {PopulationSchema.Citizens} (folded_name, birth_year)");
    }

    private static bool IsPostgres(string type) => type.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase);

    private static bool IsSqlite(string type) => type.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase);
}
