namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// The names of a citizen's fields, spelled as in dvc.population.v1.Citizen, because they are
/// what responses list in fields_returned, what extraction requests name and what the access log keeps.
/// </summary>
public static class CitizenFields
{
    public const string IdNumber = "id_number";
    public const string FullName = "full_name";
    public const string OtherNames = "other_names";
    public const string BirthDate = "birth_date";
    public const string Gender = "gender";
    public const string Ethnicity = "ethnicity";
    public const string Religion = "religion";
    public const string Nationality = "nationality";
    public const string BirthRegistrationPlace = "birth_registration_place";
    public const string Hometown = "hometown";
    public const string PermanentResidence = "permanent_residence";
    public const string TemporaryResidence = "temporary_residence";
    public const string CurrentResidence = "current_residence";
    public const string HouseholdId = "household_id";
    public const string RelationToHead = "relation_to_head";
    public const string FatherIdNumber = "father_id_number";
    public const string MotherIdNumber = "mother_id_number";
    public const string SpouseIdNumber = "spouse_id_number";
    public const string Phone = "phone";
    public const string Status = "status";
    public const string OldIdNumbers = "old_id_numbers";
    public const string Documents = "documents";

    /// <summary>Every field, in the order of the proto message.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        IdNumber, FullName, OtherNames, BirthDate, Gender, Ethnicity, Religion, Nationality,
        BirthRegistrationPlace, Hometown, PermanentResidence, TemporaryResidence, CurrentResidence,
        HouseholdId, RelationToHead, FatherIdNumber, MotherIdNumber, SpouseIdNumber, Phone, Status,
        OldIdNumbers, Documents,
    ];

    private static readonly HashSet<string> Known = [.. All];

    public static bool IsKnown(string name) => Known.Contains(name);

    /// <summary>The given fields in the proto's order, without duplicates.</summary>
    public static IReadOnlyList<string> InOrder(IEnumerable<string> fields)
    {
        var wanted = fields.ToHashSet(StringComparer.Ordinal);
        return [.. All.Where(wanted.Contains)];
    }
}
