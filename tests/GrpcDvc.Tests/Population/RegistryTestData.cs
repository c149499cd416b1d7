using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Server.Text;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// Puts a few units and citizens into the server's database, with the values tests assert on.
/// Two provinces, each with a district and a commune; the Hà Nội commune was merged into a new one in 2025.
/// </summary>
public sealed class RegistryTestData(IServiceProvider services)
{
    public const string ProvinceA = "T-P01";
    public const string DistrictA = "T-P01-H01";
    public const string CommuneA = "T-X01";
    public const string MergedCommuneA = "T-X01N";
    public const string ProvinceB = "T-P02";
    public const string CommuneB = "T-X02";

    public const int ProvinceAId = 990_001;
    public const int DistrictAId = 990_002;
    public const int CommuneAId = 990_003;
    public const int MergedCommuneAId = 990_004;
    public const int ProvinceBId = 990_011;
    public const int CommuneBId = 990_013;

    private int _serial = 100;

    public async Task AddUnitsAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        db.AddRange(
            Unit(ProvinceAId, ProvinceA, AdministrativeLevel.Province, "Thành phố Hà Nội", null, "001"),
            Unit(DistrictAId, DistrictA, AdministrativeLevel.District, "Quận Ba Đình", ProvinceAId),
            Unit(CommuneAId, CommuneA, AdministrativeLevel.Commune, "Phường Phúc Xá", DistrictAId, successor: MergedCommuneAId),
            Unit(MergedCommuneAId, MergedCommuneA, AdministrativeLevel.Commune, "Phường Hồng Hà", ProvinceAId),
            Unit(ProvinceBId, ProvinceB, AdministrativeLevel.Province, "Tỉnh Nghệ An", null, "040"),
            Unit(CommuneBId, CommuneB, AdministrativeLevel.Commune, "Phường Vinh Tân", ProvinceBId));
        await db.SaveChangesAsync();
    }

    /// <summary>A living citizen of commune A (or B) born in the given year; <paramref name="tweak"/> sets the rest.</summary>
    public async Task<CitizenRow> AddCitizenAsync(
        string fullName, int birthYear, Gender gender = Gender.Male, bool inProvinceB = false, Action<CitizenRow>? tweak = null, string? oldCmnd = null)
    {
        var commune = inProvinceB ? CommuneBId : CommuneAId;
        var province = inProvinceB ? ProvinceBId : ProvinceAId;
        var row = new CitizenRow
        {
            IdNumber = PersonalIdNumber.Create(inProvinceB ? "040" : "001", birthYear, gender, _serial++).Value,
            FullName = fullName,
            FoldedName = VietnameseText.Fold(fullName),
            BirthYear = birthYear,
            BirthMonth = 3,
            BirthDay = 7,
            Gender = gender,
            Ethnicity = "Kinh",
            Religion = "Không",
            Nationality = "VN",
            BirthRegistrationUnitId = province,
            HometownUnitId = province,
            PermanentUnitId = commune,
            PermanentAddress = "Số 12 phố Hàng Bún",
            CurrentUnitId = commune,
            CurrentAddress = "Số 12 phố Hàng Bún",
            CurrentProvinceId = province,
            Phone = "0912345678",
            Status = CitizenStatus.Living,
        };
        tweak?.Invoke(row);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        db.Add(row);
        await db.SaveChangesAsync();
        db.Add(new ResidenceRecordRow
        {
            CitizenId = row.Id, Kind = ResidenceKind.Permanent, UnitId = inProvinceB ? commune : MergedCommuneAId, RegisteredUnitId = commune,
            Address = row.PermanentAddress, ValidFrom = new DateOnly(2010, 5, 1),
        });
        if (oldCmnd is not null)
        {
            db.Add(new IdentityDocumentRow
            {
                CitizenId = row.Id, Kind = IdentityDocumentKind.Cmnd9, Number = oldCmnd, IssuedOn = new DateOnly(2005, 1, 10),
                Status = DocumentStatus.Replaced, IssuedBy = "Công an Thành phố Hà Nội",
            });
        }

        await db.SaveChangesAsync();
        return row;
    }

    /// <summary>Adds more units (a merged province, a bad chain) beside the standard ones.</summary>
    public async Task AddUnitsAsync(params AdministrativeUnitRow[] units)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        db.AddRange(units);
        await db.SaveChangesAsync();
    }

    /// <summary>Adds rows (cards, residence periods) one save each, so their ids follow the order given.</summary>
    public async Task AddRowsAsync(params object[] rows)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        foreach (var row in rows)
        {
            db.Add(row);
            await db.SaveChangesAsync();
        }
    }

    public static AdministrativeUnitRow Unit(int id, string code, AdministrativeLevel level, string name, int? parent, string? idCode = null, int? successor = null)
        => new()
        {
            Id = id, Code = code, Level = level, Name = name, FoldedName = VietnameseText.Fold(name), ParentId = parent,
            IdNumberCode = idCode, SuccessorId = successor, ValidTo = successor is null ? null : new DateOnly(2025, 6, 30),
            IsSynthetic = true, Verified = false,
        };
}
