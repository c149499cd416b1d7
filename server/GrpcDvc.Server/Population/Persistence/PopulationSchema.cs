namespace GrpcDvc.Server.Population.Persistence;

/// <summary>
/// Table names and the secondary indexes and foreign keys of the population tables, in one
/// place. The migration creates them from here, and the bulk loader drops and re-creates them
/// around a large load, because building an index once is far cheaper than keeping it up to
/// date row by row. The name-search index differs by provider and lives in <see cref="CitizenSearchIndex"/>;
/// M0080 dropped the folded_name/birth_year B-tree index that was here (a LIKE '%word%' never used it).
/// </summary>
public static class PopulationSchema
{
    public const string Citizens = "citizens";
    public const string Households = "households";
    public const string IdentityDocuments = "identity_documents";
    public const string ResidenceRecords = "residence_records";
    public const string AdministrativeUnits = "administrative_units";

    /// <summary>The tables the loader fills, children before parents for deletes.</summary>
    public static IReadOnlyList<string> LoadedTables { get; } = [ResidenceRecords, IdentityDocuments, Citizens, Households];

    public static IReadOnlyList<IndexSpec> Indexes { get; } =
    [
        new("ux_citizens_id_number", Citizens, "id_number", Unique: true),
        new("ix_citizens_household_id", Citizens, "household_id"),
        new("ix_identity_documents_number", IdentityDocuments, "number"),
        new("ix_identity_documents_citizen_id", IdentityDocuments, "citizen_id"),
        new("ix_residence_records_citizen_id", ResidenceRecords, "citizen_id"),
    ];

    public static IReadOnlyList<ForeignKeySpec> ForeignKeys { get; } =
    [
        new("fk_citizens_household", Citizens, "household_id", Households),
        new("fk_identity_documents_citizen", IdentityDocuments, "citizen_id", Citizens),
        new("fk_residence_records_citizen", ResidenceRecords, "citizen_id", Citizens),
    ];
}

/// <summary>A secondary index. The SQL is the same on SQLite and PostgreSQL.</summary>
public sealed record IndexSpec(string Name, string Table, string Columns, bool Unique = false)
{
    public string CreateSql => $"CREATE {(Unique ? "UNIQUE " : string.Empty)}INDEX IF NOT EXISTS {Name} ON {Table} ({Columns})";

    public string DropSql => $"DROP INDEX IF EXISTS {Name}";
}

/// <summary>A foreign key to another table's id.</summary>
public sealed record ForeignKeySpec(string Name, string Table, string Column, string ReferencedTable);
