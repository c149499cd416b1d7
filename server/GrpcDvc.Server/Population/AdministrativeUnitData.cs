using System.Text.Json;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Population;

/// <summary>
/// Data/administrative-units.json as read: the 63 pre-merger provinces and the 34 provinces
/// of Resolution 202/2025/QH15, with their periods and successor links (sources in Data/SOURCES.md).
/// </summary>
public sealed record AdministrativeUnitData(
    string Resolution,
    DateOnly MergerEffective,
    IReadOnlyList<OldProvinceData> OldProvinces,
    IReadOnlyList<NewProvinceData> NewProvinces)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Population", "Data", "administrative-units.json");

    public static AdministrativeUnitData Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<AdministrativeUnitData>(stream, Json)
            ?? throw new InvalidDataException($"{path} holds no administrative units.");
    }

    /// <summary>The provinces as database rows, old ones first.</summary>
    public IEnumerable<AdministrativeUnitRow> ToRows()
    {
        foreach (var p in OldProvinces)
        {
            yield return new AdministrativeUnitRow
            {
                Id = p.Id, Code = p.Code, Level = AdministrativeLevel.Province, Name = p.Name,
                FoldedName = VietnameseText.Fold(p.Name), IdNumberCode = p.IdNumberCode,
                OfficialCode = p.IdNumberCode[1..], ValidFrom = p.ValidFrom, ValidTo = p.ValidTo,
                SuccessorId = p.SuccessorId, Verified = true, Note = p.Note,
            };
        }

        foreach (var p in NewProvinces)
        {
            yield return new AdministrativeUnitRow
            {
                Id = p.Id, Code = p.Code, Level = AdministrativeLevel.Province, Name = p.Name,
                FoldedName = VietnameseText.Fold(p.Name), OfficialCode = p.OfficialCode,
                ValidFrom = p.ValidFrom, ValidTo = p.ValidTo,
                Verified = p.OfficialCodeVerified && p.CompositionVerified,
                Note = p.OfficialCodeVerified ? null : "Official code taken from a public dataset, not checked against the decision that sets it.",
            };
        }
    }
}

/// <summary>A province as it was until the 2025 merger; <see cref="IdNumberCode"/> is its Circular 07/2016 code.</summary>
public sealed record OldProvinceData(
    int Id,
    string Code,
    string IdNumberCode,
    string Name,
    string ShortName,
    string Kind,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    int SuccessorId,
    int ApproxPopulationThousands,
    string? Note);

/// <summary>A province from 1/7/2025 and the old provinces (by ID-number code) it was formed from.</summary>
public sealed record NewProvinceData(
    int Id,
    string Code,
    string OfficialCode,
    bool OfficialCodeVerified,
    string Name,
    string ShortName,
    string Kind,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    IReadOnlyList<string> MergedFromIdNumberCodes,
    bool CompositionVerified);
