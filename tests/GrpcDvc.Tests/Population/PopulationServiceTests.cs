using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>PopulationService lookups and searches over gRPC against a real database; run once per provider.</summary>
public abstract class PopulationServiceTests : IAsyncLifetime
{
    protected RegistryServer Registry { get; private set; } = null!;

    private PopulationService.PopulationServiceClient Population => Registry.Population;

    public async Task InitializeAsync() => Registry = await RegistryServer.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task LookupCitizen_ForIdentityVerification_ReturnsOnlyTheFieldsThatPurposeAllows()
    {
        var row = await Registry.Data.AddCitizenAsync("Nguyễn Văn An", 1985);

        var reply = await Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.IdentityVerification), As(OfficerA));

        Assert.Equal(PurposeFields.For(ReadPurpose.IdentityVerification), reply.FieldsReturned);
        Assert.Equal("Nguyễn Văn An", reply.Citizen.FullName);
        Assert.Equal(new PartialDate { Year = 1985, Month = 3, Day = 7, Precision = DatePrecision.Full }, reply.Citizen.BirthDate);
        Assert.Empty(reply.Citizen.Phone);
        Assert.Null(reply.Citizen.PermanentResidence);
        Assert.Empty(reply.Citizen.Religion);
    }

    [Theory]
    [InlineData(AccessPurpose.DossierProcessing, ReadPurpose.DossierProcessing)]
    [InlineData(AccessPurpose.IdentityVerification, ReadPurpose.IdentityVerification)]
    [InlineData(AccessPurpose.CardIssuance, ReadPurpose.CardIssuance)]
    [InlineData(AccessPurpose.ResidenceManagement, ReadPurpose.ResidenceManagement)]
    public async Task LookupCitizen_OfACitizenWithEveryFieldFilled_FillsExactlyThePurposesFields_AndLeavesTheRestEmpty(AccessPurpose purpose, ReadPurpose readPurpose)
    {
        var household = await Registry.WithDbAsync(async db =>
        {
            var row = new Server.Population.Persistence.HouseholdRow { UnitId = RegistryTestData.CommuneAId, Address = "Số 12 phố Hàng Bún", EstablishedOn = new DateOnly(2010, 5, 1) };
            db.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var citizen = await Registry.Data.AddCitizenAsync("Phạm Văn Đủ", 1980, oldCmnd: "012345678", tweak: row =>
        {
            row.OtherNames = "Tí";
            row.TemporaryUnitId = RegistryTestData.CommuneAId;
            row.TemporaryAddress = "Số 3 ngõ Trạm";
            row.HouseholdId = household;
            row.RelationToHead = Server.Population.RelationToHead.Head;
            row.FatherIdNumber = "001050000001";
            row.MotherIdNumber = "001152000002";
            row.SpouseIdNumber = "001182000003";
        });
        var expected = ExactFieldsOf(readPurpose);

        var reply = await Population.LookupCitizenAsync(Lookup(citizen.IdNumber, purpose), As(OfficerA));

        Assert.Equal(expected, reply.FieldsReturned);
        // The message itself: a field is filled if and only if the purpose allows it (this citizen has every field).
        var filled = Citizen.Descriptor.Fields.InFieldNumberOrder()
            .Where(field => IsFilled(field.Accessor.GetValue(reply.Citizen)))
            .Select(field => field.Name);
        Assert.Equal(expected, filled);
    }

    [Fact]
    public async Task LookupCitizen_ForResidence_GivesTheAddressAsRegisteredAndItsNameAfterTheMerger()
    {
        var row = await Registry.Data.AddCitizenAsync("Trần Thị Bình", 1990, Server.Population.Gender.Female);

        var reply = await Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.ResidenceManagement), As(OfficerA));

        var address = reply.Citizen.PermanentResidence;
        Assert.Equal("Phường Phúc Xá", address.CommuneName);
        Assert.Equal("Quận Ba Đình", address.DistrictName);
        Assert.Equal("Thành phố Hà Nội", address.ProvinceName);
        Assert.Equal("Phường Hồng Hà", address.CurrentCommuneName);
        Assert.Equal("Số 12 phố Hàng Bún", address.Detail);
        Assert.Empty(reply.Citizen.Phone);
    }

    [Theory]
    [InlineData("00108512345", "ID_NUMBER_LENGTH")]
    [InlineData("00108512345X", "ID_NUMBER_DIGITS")]
    [InlineData("999085123456", "ID_NUMBER_PROVINCE")]
    public async Task LookupCitizen_InvalidIdNumber_IsInvalidArgumentNamingTheRule(string idNumber, string reason)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup(idNumber, AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetBadRequest()!.FieldViolations);
        Assert.Equal("id_number", violation.Field);
        Assert.Equal(reason, violation.Reason);
    }

    [Fact]
    public async Task LookupCitizen_WithoutPurpose_IsInvalidArgument()
    {
        var row = await Registry.Data.AddCitizenAsync("Lê Văn Cường", 1970);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(new LookupCitizenRequest { IdNumber = row.IdNumber }, As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(ex.GetBadRequest()!.FieldViolations, v => v is { Field: "access.purpose", Reason: "PURPOSE_REQUIRED" });
    }

    [Fact]
    public async Task LookupCitizen_ForADossierWithoutItsCode_IsInvalidArgument()
    {
        var row = await Registry.Data.AddCitizenAsync("Lê Văn Cường", 1970);
        var request = new LookupCitizenRequest { IdNumber = row.IdNumber, Access = new AccessContext { Purpose = AccessPurpose.DossierProcessing } };

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(request, As(OfficerA)).ResponseAsync);

        Assert.Contains(ex.GetBadRequest()!.FieldViolations, v => v is { Field: "access.reference", Reason: "REFERENCE_REQUIRED" });
    }

    [Fact]
    public async Task LookupCitizen_UnknownCitizen_IsNotFoundWithResourceInfo()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup("001085999999", AccessPurpose.IdentityVerification), As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("citizen", ex.GetResourceInfo()!.ResourceType);
        Assert.Equal("001085999999", ex.GetResourceInfo()!.ResourceName);
    }

    [Fact]
    public async Task LookupCitizen_OfficialOutsideTheCitizensUnits_IsPermissionDenied()
    {
        var row = await Registry.Data.AddCitizenAsync("Phạm Văn Dũng", 1988);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.IdentityVerification), As(OfficerB)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("OUTSIDE_AGENCY_SCOPE", ex.GetErrorInfo()!.Reason);
    }

    [Fact]
    public async Task LookupCitizen_WithoutCaller_IsUnauthenticated()
    {
        var row = await Registry.Data.AddCitizenAsync("Phạm Văn Dũng", 1988);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.LookupCitizenAsync(Lookup(row.IdNumber, AccessPurpose.IdentityVerification)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }

    [Fact]
    public async Task SearchCitizens_NameWithoutDiacritics_FindsByNameBirthYearAndPlace()
    {
        await Registry.Data.AddCitizenAsync("Nguyễn Văn An", 1985);
        await Registry.Data.AddCitizenAsync("Nguyễn Văn Anh", 1985);
        await Registry.Data.AddCitizenAsync("Nguyễn Văn An", 1990);
        await Registry.Data.AddCitizenAsync("Trần Văn An", 1985);

        var reply = await Population.SearchCitizensAsync(
            Search("nguyen van an", AccessPurpose.IdentityVerification, birthYear: 1985, place: RegistryTestData.CommuneA), As(OfficerA));

        Assert.Equal(["Nguyễn Văn An", "Nguyễn Văn Anh"], reply.Citizens.Select(c => c.FullName));
        Assert.All(reply.Citizens, c => Assert.Equal(1985, c.BirthDate.Year));
        Assert.Equal(PurposeFields.For(ReadPurpose.IdentityVerification), reply.FieldsReturned);
    }

    [Fact]
    public async Task SearchCitizens_PagedByTwo_ReturnsEveryMatchOnce()
    {
        for (var i = 0; i < 5; i++)
        {
            await Registry.Data.AddCitizenAsync("Hoàng Thị Mai", 1960 + i, Server.Population.Gender.Female);
        }

        var ids = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var request = Search("HOANG THI MAI", AccessPurpose.IdentityVerification);
            request.Page = new PageRequest { PageSize = 2, PageToken = token };
            var page = await Population.SearchCitizensAsync(request, As(OfficerA));
            Assert.Equal(5, page.Page.TotalSize);
            ids.AddRange(page.Citizens.Select(c => c.IdNumber));
            token = page.Page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task SearchCitizens_LeavesOutCitizensOutsideTheAgencysUnits()
    {
        await Registry.Data.AddCitizenAsync("Đỗ Văn Hùng", 1975);
        await Registry.Data.AddCitizenAsync("Đỗ Văn Hùng", 1976, inProvinceB: true);

        var reply = await Population.SearchCitizensAsync(Search("do van hung", AccessPurpose.IdentityVerification), As(OfficerB));

        Assert.Equal(1976, Assert.Single(reply.Citizens).BirthDate.Year);
    }

    [Fact]
    public async Task SearchCitizens_UnknownPlaceAndNoName_AreInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.SearchCitizensAsync(
            Search(" ", AccessPurpose.IdentityVerification, place: "NO-SUCH-UNIT"), As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["name", "place_code"], ex.GetBadRequest()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task SearchCitizens_ForInformationExtraction_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.SearchCitizensAsync(Search("an", AccessPurpose.InformationExtraction), As(OfficerA)).ResponseAsync);

        Assert.Contains(ex.GetBadRequest()!.FieldViolations, v => v.Reason == "PURPOSE_NOT_ALLOWED");
    }

    private static string[] ExactFieldsOf(ReadPurpose purpose)
        => (string[])PurposeFieldsTests.ExactFields.Single(row => (ReadPurpose)row[0] == purpose)[1];

    private static bool IsFilled(object? value) => value switch
    {
        null => false,
        string text => text.Length > 0,
        System.Collections.IList list => list.Count > 0,
        Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) != 0,
        _ => true,
    };

    internal static LookupCitizenRequest Lookup(string idNumber, AccessPurpose purpose)
        => new() { IdNumber = idNumber, Access = new AccessContext { Purpose = purpose, Reference = "000.00.01.H26-251123-0001" } };

    private static SearchCitizensRequest Search(string name, AccessPurpose purpose, int birthYear = 0, string place = "")
        => new() { Name = name, BirthYear = birthYear, PlaceCode = place, Access = new AccessContext { Purpose = purpose } };
}

public sealed class PopulationServiceOnSqliteTests : PopulationServiceTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class PopulationServiceOnPostgresTests(PostgresCluster cluster) : PopulationServiceTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
