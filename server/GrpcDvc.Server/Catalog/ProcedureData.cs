using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrpcDvc.Server.Catalog;

/// <summary>
/// The catalog data file (Catalog/Data/procedures.json) as read. The file is the source of the
/// seeded catalog; facts no source gives are "known": false there, never guessed.
/// </summary>
public sealed record CatalogData(IReadOnlyList<AgencyLevelData> AgencyLevels, IReadOnlyList<ProcedureData> Procedures)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static CatalogData Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<CatalogData>(stream, Json)
            ?? throw new InvalidDataException($"{path} holds no catalog.");
    }
}

public sealed record AgencyLevelData(string Code, string NameVi, string NameEn, int Rank);

public sealed record ProcedureData(
    string Code,
    string NameVi,
    string NameEn,
    int ServiceLevel,
    string Field,
    IReadOnlyList<string> AgencyLevels,
    OnlineFormData OnlineForm,
    IReadOnlyList<ProcessingTimeTermData> ProcessingTimeTerms,
    IReadOnlyList<FeeTermData> FeeTerms,
    IReadOnlyList<FeeWaiverData> FeeWaivers,
    bool RequiredDocumentsKnown,
    IReadOnlyList<DocumentData> RequiredDocuments,
    IReadOnlyList<string> Forms,
    ResultDocumentData ResultDocument,
    IReadOnlyList<string> ResultDelivery,
    IntakeDaysData IntakeDays,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string>? RequiredDocumentsSources = null,
    string? RequiredDocumentsNoteEn = null)
{
    /// <summary>The dated part of the entry, stored apart from the descriptive rest (procedures.terms_json).</summary>
    public ProcedureTermsData Terms => new(OnlineForm, ProcessingTimeTerms, FeeTerms, FeeWaivers);
}

public sealed record DocumentData(string NameVi, string? NameEn = null, string? FormCode = null);

public sealed record ResultDocumentData(bool Known, string? FormCode = null, string? NameVi = null, string? NameEn = null);

public sealed record IntakeDaysData(bool Known, IReadOnlyList<string>? FullDays = null, bool SaturdayMorning = false);
