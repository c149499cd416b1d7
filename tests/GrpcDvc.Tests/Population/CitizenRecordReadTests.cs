using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Population.RegistryServer;
using static GrpcDvc.Tests.Population.RegistryTestData;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// What one citizen's record shows through the rpcs: cards and residence periods in date order,
/// old CMND numbers of both lengths, and place names across the 2025 mergers (today's province
/// only when it changed; bad unit chains end). Once per provider.
/// </summary>
public abstract class CitizenRecordReadTests : IAsyncLifetime
{
    private const string Ministry = "ministry";

    private static readonly AccessContext ForDossier = new() { Purpose = AccessPurpose.DossierProcessing, Reference = "000.00.01.H26-251123-0007" };

    private RegistryServer Registry { get; set; } = null!;

    private PopulationService.PopulationServiceClient Population => Registry.Population;

    public async Task InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync(await PostgresAsync());
        Registry.Callers.Official(Ministry, TestAgencyScope.NationalUnit, Contracts.Auth.V1.Role.ProcessingOfficer);
    }

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task LookupCitizen_ForCardIssuance_ListsTheCards_ByIssueDate_ThenInTheOrderRecorded()
    {
        var row = await Registry.Data.AddCitizenAsync("Kiều Văn Sáng", 1970);
        await Registry.Data.AddRowsAsync(
            Card(row, IdentityDocumentKind.CccdChip, "001070000123", new DateOnly(2021, 6, 1)),
            Card(row, IdentityDocumentKind.Cmnd9, "011223344", new DateOnly(2004, 8, 20)),
            Card(row, IdentityDocumentKind.Cmnd12, "001170004455", new DateOnly(2004, 8, 20)));

        var reply = await Population.LookupCitizenAsync(new LookupCitizenRequest
        {
            IdNumber = row.IdNumber,
            Access = new AccessContext { Purpose = AccessPurpose.CardIssuance, Reference = "CAP-2026-0001" },
        }, As(OfficerA));

        Assert.Equal(["011223344", "001170004455", "001070000123"], reply.Citizen.Documents.Select(d => d.Number));
        Assert.Equal(["011223344", "001170004455"], reply.Citizen.OldIdNumbers);
    }

    [Fact]
    public async Task ConfirmResidence_ListsThePeriods_ByStartDate_ThenInTheOrderRecorded_EachWithItsOwnPlace()
    {
        // AddCitizenAsync records a permanent period in commune A from 1 May 2010.
        var row = await Registry.Data.AddCitizenAsync("Kiều Thị Nga", 1972, Server.Population.Gender.Female);
        await Registry.Data.AddRowsAsync(
            Period(row, ResidenceKind.Temporary, CommuneBId, new DateOnly(2018, 9, 1), new DateOnly(2019, 9, 1)),
            Period(row, ResidenceKind.Permanent, CommuneAId, new DateOnly(1995, 1, 1), new DateOnly(2010, 4, 30)),
            Period(row, ResidenceKind.Temporary, CommuneBId, new DateOnly(2010, 5, 1), new DateOnly(2011, 5, 1)));

        var reply = await Population.ConfirmResidenceAsync(new ConfirmResidenceRequest { IdNumber = row.IdNumber, Access = ForDossier }, As(OfficerA));

        Assert.Equal(
            [(1995, "Phường Phúc Xá"), (2010, "Phường Phúc Xá"), (2010, "Phường Vinh Tân"), (2018, "Phường Vinh Tân")],
            reply.Periods.Select(p => (p.From.Year, p.Address.CommuneName)));
        Assert.Equal(ResidencePeriod.Types.Kind.Permanent, reply.Periods[1].Kind);
        Assert.Equal(ResidencePeriod.Types.Kind.Temporary, reply.Periods[2].Kind);
    }

    [Theory]
    [InlineData(IdentityDocumentKind.Cmnd9, "011223344", true)]
    [InlineData(IdentityDocumentKind.Cmnd12, "001170004455", true)]
    [InlineData(IdentityDocumentKind.CccdChip, "001170004455", false)]
    public async Task ConfirmIdNumbers_FindsTheHolderOfAnOldCmndOfEitherLength_ButACccdNumberIsNoOldNumber(
        IdentityDocumentKind kind, string number, bool found)
    {
        var row = await Registry.Data.AddCitizenAsync("Kiều Văn Bảo", 1970);
        await Registry.Data.AddRowsAsync(Card(row, kind, number, new DateOnly(2004, 8, 20)));

        var reply = await Population.ConfirmIdNumbersAsync(new ConfirmIdNumbersRequest { OldIdNumber = number, Access = ForDossier }, As(OfficerA));

        Assert.Equal(found, reply.Found);
        Assert.Equal(found ? row.IdNumber : string.Empty, reply.CurrentIdNumber);
    }

    [Fact]
    public async Task Address_InAProvinceMergedIn2025_ShowsTodaysProvinceAndCommuneBesideTheRegisteredNames()
    {
        await Registry.Data.AddUnitsAsync(
            Unit(990_021, "T-P03", AdministrativeLevel.Province, "Tỉnh Hà Giang", null, "002", successor: 990_022),
            Unit(990_022, "T-P04", AdministrativeLevel.Province, "Tỉnh Tuyên Quang", null, "008"),
            Unit(990_023, "T-X03", AdministrativeLevel.Commune, "Phường Minh Khai", 990_021, successor: 990_024),
            Unit(990_024, "T-X04", AdministrativeLevel.Commune, "Phường Hà Giang 1", 990_022));
        var row = await Registry.Data.AddCitizenAsync("Sùng Văn Páo", 1985, tweak: r => r.PermanentUnitId = 990_023);

        var address = (await LookupAsync(row)).PermanentResidence;

        Assert.Equal(("Phường Minh Khai", "Tỉnh Hà Giang"), (address.CommuneName, address.ProvinceName));
        Assert.Equal(("Phường Hà Giang 1", "Tỉnh Tuyên Quang"), (address.CurrentCommuneName, address.CurrentProvinceName));
    }

    [Fact]
    public async Task Address_WhoseCommuneWasMergedWithinTheSameProvince_ShowsTodaysCommuneButNoProvinceAgain()
    {
        var row = await Registry.Data.AddCitizenAsync("Sùng Thị Mai", 1985, Server.Population.Gender.Female);

        var address = (await LookupAsync(row)).PermanentResidence;

        Assert.Equal(("Phường Phúc Xá", "Quận Ba Đình", "Thành phố Hà Nội"), (address.CommuneName, address.DistrictName, address.ProvinceName));
        Assert.Equal("Phường Hồng Hà", address.CurrentCommuneName);
        Assert.Empty(address.CurrentProvinceName);
    }

    [Fact]
    public async Task Addresses_CarryTheirOwnDetail_AndThePlacesOfBirthAndOriginNone()
    {
        var row = await Registry.Data.AddCitizenAsync("Sùng Văn Dơ", 1985, tweak: r =>
        {
            r.TemporaryUnitId = CommuneBId;
            r.TemporaryAddress = "Số 1 đường Lê Lợi";
        });
        Registry.Callers.Citizen("do", row.IdNumber);

        var citizen = (await Population.GetMyRecordAsync(new GetMyRecordRequest(), As("do"))).Citizen;

        Assert.Equal(("Phường Vinh Tân", "Số 1 đường Lê Lợi"), (citizen.TemporaryResidence.CommuneName, citizen.TemporaryResidence.Detail));
        Assert.Equal("Số 12 phố Hàng Bún", citizen.PermanentResidence.Detail);
        Assert.Equal(("Thành phố Hà Nội", string.Empty), (citizen.BirthRegistrationPlace.ProvinceName, citizen.BirthRegistrationPlace.Detail));
        Assert.Equal(("Thành phố Hà Nội", string.Empty), (citizen.Hometown.ProvinceName, citizen.Hometown.Detail));
    }

    [Fact]
    public async Task Address_WhoseUnitsSucceedEachOtherInACycle_IsStillAnswered_WithItsRegisteredNames()
    {
        // Bad data: each commune names the other as its successor.
        await Registry.Data.AddUnitsAsync(
            Unit(990_031, "T-X05", AdministrativeLevel.Commune, "Xã Vòng Một", ProvinceBId, successor: 990_032),
            Unit(990_032, "T-X06", AdministrativeLevel.Commune, "Xã Vòng Hai", ProvinceBId, successor: 990_031));
        var row = await Registry.Data.AddCitizenAsync("Sùng Văn Vòng", 1985, inProvinceB: true, tweak: r => r.PermanentUnitId = 990_031);

        var address = (await LookupAsync(row)).PermanentResidence;

        Assert.Equal(("Xã Vòng Một", "Tỉnh Nghệ An"), (address.CommuneName, address.ProvinceName));
        Assert.Empty(address.CurrentProvinceName);
    }

    [Fact]
    public async Task Address_WithASuccessorChainLongerThanEightSteps_IsNotFollowedToItsEnd_AndShowsNoTodaysCommune()
    {
        // Bad data: ten communes, each succeeded by the next. A real chain is one or two steps; the
        // reader follows eight and, finding no end, names no commune of today rather than a wrong one.
        var chain = Enumerable.Range(0, 10)
            .Select(i => Unit(990_040 + i, $"T-L{i}", AdministrativeLevel.Commune, $"Xã Chuỗi {i}", ProvinceBId, successor: i < 9 ? 990_041 + i : null))
            .ToArray();
        await Registry.Data.AddUnitsAsync(chain);
        var row = await Registry.Data.AddCitizenAsync("Sùng Văn Chuỗi", 1985, inProvinceB: true, tweak: r => r.PermanentUnitId = 990_040);

        var address = (await LookupAsync(row)).PermanentResidence;

        Assert.Equal("Xã Chuỗi 0", address.CommuneName);
        Assert.Empty(address.CurrentCommuneName);
    }

    private async Task<Citizen> LookupAsync(CitizenRow row)
        => (await Population.LookupCitizenAsync(new LookupCitizenRequest { IdNumber = row.IdNumber, Access = ForDossier }, As(Ministry))).Citizen;

    private static IdentityDocumentRow Card(CitizenRow holder, IdentityDocumentKind kind, string number, DateOnly issued)
        => new()
        {
            CitizenId = holder.Id, Kind = kind, Number = number, IssuedOn = issued,
            Status = kind == IdentityDocumentKind.CccdChip ? DocumentStatus.Valid : DocumentStatus.Replaced, IssuedBy = "Công an Thành phố Hà Nội",
        };

    private static ResidenceRecordRow Period(CitizenRow holder, ResidenceKind kind, int unitId, DateOnly from, DateOnly until)
        => new()
        {
            CitizenId = holder.Id, Kind = kind, UnitId = unitId, RegisteredUnitId = unitId, Address = "Số 3 ngõ 5", ValidFrom = from, ValidTo = until,
        };
}

public sealed class CitizenRecordReadOnSqliteTests : CitizenRecordReadTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class CitizenRecordReadOnPostgresTests(PostgresCluster cluster) : CitizenRecordReadTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
