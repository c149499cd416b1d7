using System.Globalization;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// The units that are not available offline, made up and flagged <c>is_synthetic</c>: 3,321
/// communes ("Xã Mẫu 0001" …) under the 34 provinces of today, in proportion to population, and
/// three districts ("Huyện Mẫu 01" …) under each pre-2025 province for the older hierarchy. They
/// depend only on the data file, never on the population seed, so every load agrees on them.
/// </summary>
internal static class SyntheticUnits
{
    public const int CommuneCount = 3321;
    public const int DistrictsPerOldProvince = 3;
    public const int FirstCommuneId = 100_000;
    public const int FirstDistrictId = 10_000;

    private static readonly DateOnly MergerDay = new(2025, 7, 1);
    private static readonly DateOnly LastDayOfDistricts = new(2025, 6, 30);

    public static int DistrictId(string idNumberCode, int number)
        => FirstDistrictId + (int.Parse(idNumberCode, CultureInfo.InvariantCulture) * 10) + number;

    /// <summary>How many synthetic communes each new province gets: largest remainder of 3,321 by population weight.</summary>
    public static IReadOnlyDictionary<int, int> CommuneQuota(AdministrativeUnitData data)
    {
        var weights = data.NewProvinces.ToDictionary(
            p => p.Id,
            p => (double)data.OldProvinces.Where(o => o.SuccessorId == p.Id).Sum(o => o.ApproxPopulationThousands));
        var total = weights.Values.Sum();
        var exact = weights.ToDictionary(w => w.Key, w => w.Value / total * CommuneCount);
        var quota = exact.ToDictionary(e => e.Key, e => Math.Max(1, (int)Math.Floor(e.Value)));
        var missing = CommuneCount - quota.Values.Sum();
        foreach (var id in exact.OrderByDescending(e => e.Value - Math.Floor(e.Value)).ThenBy(e => e.Key).Select(e => e.Key).Take(missing))
        {
            quota[id]++;
        }

        return quota;
    }

    public static IEnumerable<AdministrativeUnitRow> Rows(AdministrativeUnitData data)
    {
        foreach (var province in data.OldProvinces)
        {
            for (var n = 1; n <= DistrictsPerOldProvince; n++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"Huyện Mẫu {n:D2}");
                yield return new AdministrativeUnitRow
                {
                    Id = DistrictId(province.IdNumberCode, n),
                    Code = string.Create(CultureInfo.InvariantCulture, $"{province.Code}-H{n:D2}"),
                    Level = AdministrativeLevel.District, Name = name, FoldedName = VietnameseText.Fold(name),
                    ParentId = province.Id, ValidTo = LastDayOfDistricts, SuccessorId = province.SuccessorId,
                    IsSynthetic = true, Verified = false, Note = "Synthetic district for generated data; not a real unit.",
                };
            }
        }

        var quota = CommuneQuota(data);
        var next = 1;
        foreach (var province in data.NewProvinces)
        {
            for (var i = 0; i < quota[province.Id]; i++, next++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"Xã Mẫu {next:D4}");
                yield return new AdministrativeUnitRow
                {
                    Id = FirstCommuneId + next,
                    Code = string.Create(CultureInfo.InvariantCulture, $"X{next:D4}"),
                    Level = AdministrativeLevel.Commune, Name = name, FoldedName = VietnameseText.Fold(name),
                    ParentId = province.Id, ValidFrom = MergerDay,
                    IsSynthetic = true, Verified = false, Note = "Synthetic commune for generated data; not a real unit.",
                };
            }
        }
    }
}
