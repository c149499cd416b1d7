using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// Everything a dossier carries beyond its queue columns, stored as one JSON document
/// (dossiers.details): what the citizen submitted and what the unit answered. Plain data; the
/// rules that fill it live in the submission and the state machine.
/// </summary>
public sealed record DossierDetails
{
    public required DeclaredPerson Applicant { get; init; }

    public IReadOnlyList<ConcernedPerson> People { get; init; } = [];

    public IReadOnlyDictionary<string, string> Form { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<Guid> AttachmentIds { get; init; } = [];

    public required DeliveryChoice Delivery { get; init; }

    /// <summary>The commune the procedure concerns (routing), as submitted or taken from the registry.</summary>
    public string? CommuneCode { get; init; }

    public ReceiptDetails? Receipt { get; init; }

    public SupplementDetails? SupplementRequest { get; init; }

    public RejectionDetails? Rejection { get; init; }

    public ResultDetails? Result { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DossierDetails FromJson(string json)
        => JsonSerializer.Deserialize<DossierDetails>(json, Json) ?? throw new JsonException("A dossier's details are empty.");
}

/// <summary>A person as declared (the registry's fields; checked against it at submission). Month and day 0 when unknown.</summary>
public sealed record DeclaredPerson(
    string IdNumber,
    string FullName,
    int BirthYear,
    int BirthMonth,
    int BirthDay,
    string Gender,
    string? PermanentResidenceCommuneCode,
    string? FatherIdNumber,
    string? MotherIdNumber,
    string? Phone);

public sealed record ConcernedPerson(DeclaredPerson Person, string Relationship);

public enum DeliveryKind
{
    Online = 1,
    Email = 2,
    Postal = 3,
    InPerson = 4,
}

public sealed record PostalDestination(string RecipientName, string Phone, string CommuneCode, string Detail);

public sealed record DeliveryChoice(DeliveryKind Method, string? Email, PostalDestination? Postal);

public sealed record ReceiptDetails(string FormCode, DateTimeOffset IssuedAt, string IssuedByName, DateTimeOffset? AppointmentAt);

public sealed record SupplementDetails(string Reason, IReadOnlyList<string> DocumentsToAdd, DateTimeOffset RequestedAt);

public sealed record RejectionDetails(string Reason, IReadOnlyList<string> DocumentsToAdd, DateTimeOffset RejectedAt, string FormCode);

public sealed record ResultDetails(string FormCode, string DocumentNumber, string Summary, DateTimeOffset IssuedAt, DateTimeOffset? ReturnedAt);
