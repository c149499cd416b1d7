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

    /// <summary>
    /// The key function as this migration created it (no year-qualified keys), kept here so the
    /// migration stays what it was when applied, and M0100's Down can return to it.
    /// </summary>
    public const string CreateKeyFunctionSql = """
        CREATE OR REPLACE FUNCTION citizen_search_keys(folded_name text, birth_year integer, place_ids integer[], residence_ids integer[])
        RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $fn$
        DECLARE
          word text;
          n integer;
          unit integer;
          keys text[] := ARRAY['born:' || birth_year];
        BEGIN
          FOREACH word IN ARRAY regexp_split_to_array(folded_name, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+') LOOP
            FOR n IN 1..length(word) LOOP
              keys := keys || left(word, n);
            END LOOP;
          END LOOP;
          FOREACH unit IN ARRAY place_ids LOOP
            IF unit IS NOT NULL THEN keys := keys || ('at:' || unit); END IF;
          END LOOP;
          FOREACH unit IN ARRAY residence_ids LOOP
            IF unit IS NOT NULL THEN keys := keys || ('lives:' || unit); END IF;
          END LOOP;
          RETURN keys;
        END
        $fn$
        """;

    public override void Up()
    {
        Execute.Sql($"DROP INDEX IF EXISTS {OldNameIndex}");
        IfDatabase(IsPostgres).Execute.Sql(CreateKeyFunctionSql);
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
