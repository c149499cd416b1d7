using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// A batch of generated households, their rows grouped by table. The loader writes one chunk at a
/// time, so memory stays bounded by the chunk size, not by the population size.
/// </summary>
public sealed class PopulationChunk(int capacity)
{
    public List<HouseholdRow> Households { get; } = new(capacity);

    public List<CitizenRow> Citizens { get; } = new(capacity * 4);

    public List<IdentityDocumentRow> Documents { get; } = new(capacity * 6);

    public List<ResidenceRecordRow> Residences { get; } = new(capacity * 5);

    public int RowCount => Households.Count + Citizens.Count + Documents.Count + Residences.Count;

    public void Add(GeneratedHousehold household)
    {
        Households.Add(household.Household);
        Citizens.AddRange(household.Citizens);
        Documents.AddRange(household.Documents);
        Residences.AddRange(household.Residences);
    }
}

/// <summary>The column order both bulk writers use, one list per table (names as in M0010).</summary>
internal static class PopulationColumns
{
    public static readonly string[] Households = ["id", "head_citizen_id", "unit_id", "address", "established_on"];

    public static readonly string[] Citizens =
    [
        "id", "id_number", "full_name", "folded_name", "other_names", "birth_year", "birth_month", "birth_day",
        "gender", "ethnicity", "religion", "nationality", "birth_registration_unit_id", "hometown_unit_id",
        "permanent_unit_id", "permanent_address", "temporary_unit_id", "temporary_address", "current_unit_id",
        "current_address", "current_province_id", "household_id", "relation_to_head", "father_id_number",
        "mother_id_number", "spouse_id_number", "phone", "status", "died_on",
    ];

    public static readonly string[] Documents = ["id", "citizen_id", "kind", "number", "issued_on", "expires_on", "status", "issued_by"];

    public static readonly string[] Residences = ["id", "citizen_id", "kind", "unit_id", "registered_unit_id", "address", "valid_from", "valid_to"];

    public static string List(string[] columns) => string.Join(", ", columns);
}
