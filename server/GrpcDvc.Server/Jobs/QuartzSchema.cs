using System.Globalization;
using Quartz;

namespace GrpcDvc.Server.Jobs;

/// <summary>
/// The tables of Quartz's persistent store, as Quartz itself describes them: the schema script embedded in
/// Quartz.dll for each database (what its own SchemaProvisioning.CreateIfMissing runs), with the table
/// prefix put in. Our migration runs it (M0170), so the schema has one author and one version history;
/// every statement of it creates only what is missing.
/// </summary>
public static class QuartzSchema
{
    public enum Dialect
    {
        Sqlite,
        Postgres,
    }

    /// <summary>The script's statements, in order, with <paramref name="tablePrefix"/> substituted.</summary>
    public static IReadOnlyList<string> Statements(Dialect dialect, string tablePrefix)
    {
        var resource = dialect switch
        {
            Dialect.Sqlite => "Quartz.Impl.AdoJobStore.Schema.create_sqlite.sql",
            Dialect.Postgres => "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql",
            _ => throw new ArgumentOutOfRangeException(nameof(dialect)),
        };
        using var stream = typeof(IJob).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Quartz.dll no longer embeds {resource}: the Quartz upgrade needs a look at M0170.");
        using var reader = new StreamReader(stream);
        // {0} is the prefix, {1} the prefix without a schema qualifier (ours has none).
        var script = reader.ReadToEnd().Replace("{0}", tablePrefix, StringComparison.Ordinal).Replace("{1}", tablePrefix, StringComparison.Ordinal);
        var statements = new List<string>();
        var current = new List<string>();
        foreach (var line in script.ReplaceLineEndings("\n").Split('\n'))
        {
            // A line reading exactly "--;;" ends a statement (the script's own separator).
            if (line.Trim() == "--;;")
            {
                Add(statements, current);
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }

        Add(statements, current);
        return statements;
    }

    private static void Add(List<string> statements, List<string> lines)
    {
        // Chunks of nothing but comments (the header) are no statement.
        if (lines.Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
        {
            statements.Add(string.Join('\n', lines).Trim());
        }
    }

    /// <summary>Quartz's name for a table of ours, as it appears in the catalog (upper case on SQLite, lower on PostgreSQL).</summary>
    public static bool IsQuartzTable(string table) => table.StartsWith(JobStore.TablePrefix, ignoreCase: true, CultureInfo.InvariantCulture);
}
