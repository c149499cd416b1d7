using System.Globalization;
using System.Text;

namespace GrpcDvc.Server.Population.Persistence;

/// <summary>
/// The index behind SearchCitizens, one per provider, and the SQL that creates, drops and queries
/// it. The migrations create it from here (M0080 first, M0100 with the year-qualified keys), and the bulk loader drops and re-creates it
/// around a large load, like the other secondary indexes in <see cref="PopulationSchema"/>.
/// <para>
/// PostgreSQL: a GIN index over <c>citizen_search_keys(...)</c>, a text[] of search keys per
/// citizen: every prefix of every name word ("nguyen" gives "n", "ng", … "nguyen"), "born:1985",
/// each prefix of two letters or more qualified by the birth year ("1985:ng", … "1985:nguyen"),
/// "at:ID" for each unit a place filter may name, and "lives:ID" for each unit of residence, which
/// agency scope is decided on. A search is then one containment test (<c>@&gt;</c>) of exact keys,
/// with agency scope as an overlap (<c>&amp;&amp;</c>), so the GIN scan intersects posting lists,
/// led by the rarest key; a prefix (<c>:*</c>) query would instead collect every row of a common
/// prefix ("nguyen" is 38% of the country) into a bitmap first.
/// </para>
/// <para>
/// SQLite: an FTS5 table over citizens(folded_name) with external content (the text stays in
/// citizens only), kept in step by triggers, queried with quoted prefix terms; birth year, place and
/// scope filter the rows it gives. The embedded default holds thousands of citizens, not millions.
/// </para>
/// </summary>
public static class CitizenSearchIndex
{
    public const string KeyFunction = "citizen_search_keys";
    public const string PostgresIndexName = "ix_citizens_search_keys";
    public const string FtsTable = "citizen_names";

    /// <summary>The key array of citizens row <c>c</c>; the index serves only a query with this very expression.</summary>
    public static readonly string KeysOfC = KeysOf("c.");

    /// <summary>
    /// The shortest name-word prefix that also gets a key qualified by the birth year. One-letter
    /// prefixes with a year would make the index 15% larger (measured at 1 M citizens) for a query
    /// word of one letter, which is rare and is still matched by its plain key beside the born: key.
    /// </summary>
    public const int YearPrefixMinLength = 2;

    // Words split at ASCII characters other than letters and digits, as VietnameseText.NameWords does.
    // IMMUTABLE: it reads only its arguments, which is what an index expression requires. PL/pgSQL
    // loops, measured 2.4 times faster than the same in one SQL statement (set-returning functions
    // and array_agg(DISTINCT)); GIN drops repeated keys itself. The cost is what it is called per row
    // (about 8 µs), so the planner walks rows and calls it only where few rows need it, and otherwise
    // goes to the index.
    // Beside each prefix, from YearPrefixMinLength letters on, the same prefix qualified by the birth
    // year ("1990:thi"): a key as rare as the name word and the year together, so a search with a
    // year intersects lists about 100 times shorter than "thi" and "born:1990" (M0100). A word never
    // holds ':', so no prefix can be taken for such a key.
    public static readonly string CreatePostgresFunctionSql = $"""
        CREATE OR REPLACE FUNCTION {KeyFunction}(folded_name text, birth_year integer, place_ids integer[], residence_ids integer[])
        RETURNS text[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $fn$
        DECLARE
          word text;
          prefix text;
          n integer;
          unit integer;
          year_of text := birth_year || ':';
          keys text[] := ARRAY['born:' || birth_year];
        BEGIN
          FOREACH word IN ARRAY regexp_split_to_array(folded_name, '[\x01-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+') LOOP
            FOR n IN 1..length(word) LOOP
              prefix := left(word, n);
              keys := keys || prefix;
              IF n >= {YearPrefixMinLength} AND year_of IS NOT NULL THEN keys := keys || (year_of || prefix); END IF;
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

    public const string DropPostgresFunctionSql = $"DROP FUNCTION IF EXISTS {KeyFunction}(text, integer, integer[], integer[])";

    public static readonly string CreatePostgresIndexSql = $"CREATE INDEX IF NOT EXISTS {PostgresIndexName} ON {PopulationSchema.Citizens} USING gin (({KeysOf(string.Empty)}))";

    public const string DropPostgresIndexSql = $"DROP INDEX IF EXISTS {PostgresIndexName}";

    public const string CreateFtsTableSql =
        $"CREATE VIRTUAL TABLE IF NOT EXISTS {FtsTable} USING fts5(folded_name, content='{PopulationSchema.Citizens}', content_rowid='id', tokenize='ascii')";

    public const string DropFtsTableSql = $"DROP TABLE IF EXISTS {FtsTable}";

    /// <summary>Re-reads every citizen's name into the FTS index: after a load made without the triggers.</summary>
    public const string RebuildFtsSql = $"INSERT INTO {FtsTable}({FtsTable}) VALUES ('rebuild')";

    /// <summary>The triggers that keep the external-content FTS table in step with citizens, one statement each.</summary>
    public static IReadOnlyList<string> CreateFtsTriggersSql { get; } =
    [
        $"""
        CREATE TRIGGER IF NOT EXISTS {FtsTable}_after_insert AFTER INSERT ON {PopulationSchema.Citizens} BEGIN
          INSERT INTO {FtsTable}(rowid, folded_name) VALUES (new.id, new.folded_name);
        END
        """,
        $"""
        CREATE TRIGGER IF NOT EXISTS {FtsTable}_after_delete AFTER DELETE ON {PopulationSchema.Citizens} BEGIN
          INSERT INTO {FtsTable}({FtsTable}, rowid, folded_name) VALUES ('delete', old.id, old.folded_name);
        END
        """,
        $"""
        CREATE TRIGGER IF NOT EXISTS {FtsTable}_after_update AFTER UPDATE OF id, folded_name ON {PopulationSchema.Citizens} BEGIN
          INSERT INTO {FtsTable}({FtsTable}, rowid, folded_name) VALUES ('delete', old.id, old.folded_name);
          INSERT INTO {FtsTable}(rowid, folded_name) VALUES (new.id, new.folded_name);
        END
        """,
    ];

    public static IReadOnlyList<string> DropFtsTriggersSql { get; } =
        [.. new[] { "insert", "delete", "update" }.Select(e => $"DROP TRIGGER IF EXISTS {FtsTable}_after_{e}")];

    // Place ids: every column a place filter compares; residence ids: the units agency scope is decided on.
    private static string KeysOf(string alias)
        => $"{KeyFunction}({alias}folded_name, {alias}birth_year, "
           + $"ARRAY[{alias}current_province_id, {alias}current_unit_id, {alias}permanent_unit_id, {alias}temporary_unit_id, {alias}birth_registration_unit_id], "
           + $"ARRAY[{alias}permanent_unit_id, {alias}temporary_unit_id, {alias}current_unit_id])";

    /// <summary>
    /// The keys a search asks the index for, all of which a matching citizen holds (<c>@&gt;</c>).
    /// With a birth year, each name word of <see cref="YearPrefixMinLength"/> letters or more is
    /// asked as its year-qualified key ("1990:thi"), which implies the year; a shorter word stays a
    /// plain key, and "born:1990" is asked only when no word carries the year.
    /// </summary>
    public static string[] SearchKeys(IReadOnlyList<string> words, int? birthYear, int? placeUnitId)
    {
        var keys = new List<string>(words.Count + 2);
        var yearCarried = false;
        foreach (var word in words)
        {
            if (birthYear is { } year && word.Length >= YearPrefixMinLength)
            {
                keys.Add(YearWordKey(year, word));
                yearCarried = true;
            }
            else
            {
                keys.Add(word);
            }
        }

        if (birthYear is { } born && !yearCarried)
        {
            keys.Add(BornKey(born));
        }

        if (placeUnitId is { } at)
        {
            keys.Add(AtKey(at));
        }

        return [.. keys];
    }

    /// <summary>The GIN key of a name-word prefix qualified by the birth year ("1990:thi").</summary>
    public static string YearWordKey(int year, string prefix) => string.Create(CultureInfo.InvariantCulture, $"{year}:{prefix}");

    /// <summary>The GIN key of a birth year.</summary>
    public static string BornKey(int year) => string.Create(CultureInfo.InvariantCulture, $"born:{year}");

    /// <summary>The GIN key of a unit a place filter names.</summary>
    public static string AtKey(int unitId) => string.Create(CultureInfo.InvariantCulture, $"at:{unitId}");

    /// <summary>The GIN key of a unit of residence (agency scope).</summary>
    public static string LivesKey(int unitId) => string.Create(CultureInfo.InvariantCulture, $"lives:{unitId}");

    /// <summary>
    /// An FTS5 query that every one of <paramref name="words"/> starts a word of the name: each word a
    /// quoted string with the prefix star (<c>"nguyen"* "van"*</c>, implicit AND). Quoted, a word is
    /// never read as an operator (AND, OR, NOT, NEAR, a column filter); the words come from
    /// VietnameseText.NameWords, which holds no quote, and a quote would be doubled anyway.
    /// </summary>
    public static string FtsMatch(IEnumerable<string> words)
    {
        var match = new StringBuilder();
        foreach (var word in words)
        {
            match.Append(match.Length == 0 ? string.Empty : " ").Append('"').Append(word.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"*");
        }

        return match.ToString();
    }
}
