using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Tests.Support;
using static GrpcDvc.Tests.Population.RegistryServer;

namespace GrpcDvc.Tests.Population;

/// <summary>The document and check rpcs (declaration, CMND, notification, CT07, DC02/DC03, own record); once per provider.</summary>
public abstract class PopulationDocumentTests : IAsyncLifetime
{
    private static readonly AccessContext ForDossier = new() { Purpose = AccessPurpose.DossierProcessing, Reference = "000.00.01.H26-251123-0007" };

    protected RegistryServer Registry { get; private set; } = null!;

    private PopulationService.PopulationServiceClient Population => Registry.Population;

    public async Task InitializeAsync() => Registry = await RegistryServer.StartAsync(await PostgresAsync());

    public async Task DisposeAsync() => await Registry.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task VerifyDeclaration_ChecksFieldByField_MatchMismatchMissing()
    {
        var row = await Registry.Data.AddCitizenAsync("Nguyễn Thị Lan", 1992, Server.Population.Gender.Female);
        var declaration = new Declaration
        {
            IdNumber = row.IdNumber,
            FullName = "nguyễn  thị lan",
            BirthDate = new PartialDate { Year = 1992, Month = 3, Day = 8 },
            Gender = Gender.Female,
            PermanentResidenceCommuneCode = RegistryTestData.CommuneA,
            FatherIdNumber = "001060000123",
            Phone = "+84 912 345 678",
        };

        var reply = await Population.VerifyDeclarationAsync(new VerifyDeclarationRequest { Declaration = declaration, Access = ForDossier }, As(OfficerA));

        Assert.True(reply.RecordFound);
        Assert.False(reply.AllMatch);
        var results = reply.Checks.ToDictionary(c => c.Field, c => c.Result);
        Assert.Equal(FieldCheck.Types.Result.Match, results["full_name"]);
        Assert.Equal(FieldCheck.Types.Result.Mismatch, results["birth_date"]);
        Assert.Equal(FieldCheck.Types.Result.Match, results["gender"]);
        Assert.Equal(FieldCheck.Types.Result.Match, results["permanent_residence_commune_code"]);
        Assert.Equal(FieldCheck.Types.Result.Missing, results["father_id_number"]);
        Assert.Equal(FieldCheck.Types.Result.Match, results["phone"]);
    }

    [Fact]
    public async Task VerifyDeclaration_UnknownIdNumber_RecordNotFoundAndEveryCheckMissing()
    {
        var declaration = new Declaration { IdNumber = "001085777777", FullName = "Ai Đó" };

        var reply = await Population.VerifyDeclarationAsync(new VerifyDeclarationRequest { Declaration = declaration, Access = ForDossier }, As(OfficerA));

        Assert.False(reply.RecordFound);
        Assert.False(reply.AllMatch);
        Assert.All(reply.Checks, c => Assert.Equal(FieldCheck.Types.Result.Missing, c.Result));
    }

    [Fact]
    public async Task VerifyDeclaration_IdNumberContradictingTheDeclaredGenderOrYear_IsInvalidArgumentNamingTheRule()
    {
        // Her number's digit 4 says "female, 1900s" and digits 5–6 say 92.
        var row = await Registry.Data.AddCitizenAsync("Nguyễn Thị Lan", 1992, Server.Population.Gender.Female);
        var asMale = new Declaration { IdNumber = row.IdNumber, FullName = "Nguyễn Thị Lan", Gender = Gender.Male };
        var bornLater = new Declaration { IdNumber = row.IdNumber, BirthDate = new PartialDate { Year = 1993 } };

        var male = await Assert.ThrowsAsync<RpcException>(() =>
            Population.VerifyDeclarationAsync(new VerifyDeclarationRequest { Declaration = asMale, Access = ForDossier }, As(OfficerA)).ResponseAsync);
        var later = await Assert.ThrowsAsync<RpcException>(() =>
            Population.VerifyDeclarationAsync(new VerifyDeclarationRequest { Declaration = bornLater, Access = ForDossier }, As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, male.StatusCode);
        Assert.Equal(("declaration.id_number", "ID_NUMBER_CENTURY_GENDER"), Assert.Single(male.GetBadRequest()!.FieldViolations) is var m ? (m.Field, m.Reason) : default);
        Assert.Equal(("declaration.id_number", "ID_NUMBER_BIRTH_YEAR"), Assert.Single(later.GetBadRequest()!.FieldViolations) is var l ? (l.Field, l.Reason) : default);
    }

    [Fact]
    public async Task ConfirmIdNumbers_OldCmnd_GivesTheCurrentNumber()
    {
        var row = await Registry.Data.AddCitizenAsync("Vũ Văn Khoa", 1965, oldCmnd: "012345678");

        var reply = await Population.ConfirmIdNumbersAsync(new ConfirmIdNumbersRequest { OldIdNumber = "012345678", Access = ForDossier }, As(OfficerA));

        Assert.True(reply.Found);
        Assert.Equal(row.IdNumber, reply.CurrentIdNumber);
        Assert.Equal("Vũ Văn Khoa", reply.FullName);
        Assert.NotNull(reply.ConfirmedAt);
    }

    [Fact]
    public async Task ConfirmIdNumbers_UnknownOldNumber_IsNotFoundInTheReply_AndABadOneIsInvalid()
    {
        var reply = await Population.ConfirmIdNumbersAsync(new ConfirmIdNumbersRequest { OldIdNumber = "987654321", Access = ForDossier }, As(OfficerA));
        Assert.False(reply.Found);
        Assert.Empty(reply.CurrentIdNumber);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.ConfirmIdNumbersAsync(
            new ConfirmIdNumbersRequest { OldIdNumber = "1234", Access = ForDossier }, As(OfficerA)).ResponseAsync);
        Assert.Equal("OLD_ID_NUMBER_LENGTH", Assert.Single(ex.GetBadRequest()!.FieldViolations).Reason);
    }

    [Fact]
    public async Task ConfirmIdNumbers_CitizenWithSomeoneElsesOldCmnd_IsNotOwnRecord_AndLearnsNothingOfThem()
    {
        var owner = await Registry.Data.AddCitizenAsync("Đặng Văn Chủ", 1970, oldCmnd: "011222333");
        var citizen = await Registry.Data.AddCitizenAsync("Đặng Thị Khách", 1990, Server.Population.Gender.Female, oldCmnd: "044555666");
        Registry.Callers.Citizen("khach", citizen.IdNumber);

        var own = await Population.ConfirmIdNumbersAsync(new ConfirmIdNumbersRequest { OldIdNumber = "044555666", Access = ForDossier }, As("khach"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.ConfirmIdNumbersAsync(
            new ConfirmIdNumbersRequest { OldIdNumber = "011222333", Access = ForDossier }, As("khach")).ResponseAsync);

        Assert.Equal(citizen.IdNumber, own.CurrentIdNumber);
        Assert.Equal((StatusCode.PermissionDenied, "NOT_OWN_RECORD"), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        Assert.DoesNotContain(owner.IdNumber, ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Chủ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmIdNumbers_CitizenWithAnOldCmndThatIsNobodys_HearsWhatTheyHearForSomeoneElses()
    {
        await Registry.Data.AddCitizenAsync("Lưu Văn Chủ", 1971, oldCmnd: "021222333");
        var citizen = await Registry.Data.AddCitizenAsync("Lưu Thị Dò", 1992, Server.Population.Gender.Female);
        Registry.Callers.Citizen("do", citizen.IdNumber);

        var someoneElses = await Assert.ThrowsAsync<RpcException>(() => Population.ConfirmIdNumbersAsync(
            new ConfirmIdNumbersRequest { OldIdNumber = "021222333", Access = ForDossier }, As("do")).ResponseAsync);
        var nobodys = await Assert.ThrowsAsync<RpcException>(() => Population.ConfirmIdNumbersAsync(
            new ConfirmIdNumbersRequest { OldIdNumber = "021999999", Access = ForDossier }, As("do")).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, "NOT_OWN_RECORD"), (nobodys.StatusCode, nobodys.GetErrorInfo()?.Reason));
        Assert.Equal((someoneElses.StatusCode, someoneElses.Status.Detail), (nobodys.StatusCode, nobodys.Status.Detail));
    }

    [Fact]
    public async Task CitizenAskingAboutAnotherIdNumber_IsNotOwnRecord_WhetherItExistsOrNot()
    {
        var other = await Registry.Data.AddCitizenAsync("Tạ Văn Có", 1975);
        var citizen = await Registry.Data.AddCitizenAsync("Tạ Thị Hỏi", 1991, Server.Population.Gender.Female);
        Registry.Callers.Citizen("hoi", citizen.IdNumber);
        const string NoSuchNumber = "001075999999";

        var existing = await Assert.ThrowsAsync<RpcException>(() => Population.GetPersonalIdNotificationAsync(
            new GetPersonalIdNotificationRequest { IdNumber = other.IdNumber, Access = ForDossier }, As("hoi")).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => Population.GetPersonalIdNotificationAsync(
            new GetPersonalIdNotificationRequest { IdNumber = NoSuchNumber, Access = ForDossier }, As("hoi")).ResponseAsync);

        // The same answer both ways: NOT_FOUND for the one that does not exist would tell which numbers do.
        foreach (var ex in new[] { existing, missing })
        {
            Assert.Equal((StatusCode.PermissionDenied, "NOT_OWN_RECORD"), (ex.StatusCode, ex.GetErrorInfo()?.Reason));
        }

        Assert.Equal(existing.Status.Detail, missing.Status.Detail);
    }

    [Fact]
    public async Task GetPersonalIdNotification_IsTheNotificationOfTheNumber()
    {
        var row = await Registry.Data.AddCitizenAsync("Bùi Thị Hoa", 2003, Server.Population.Gender.Female);

        var reply = await Population.GetPersonalIdNotificationAsync(
            new GetPersonalIdNotificationRequest { IdNumber = row.IdNumber, Access = ForDossier }, As(OfficerA));

        Assert.Equal(row.IdNumber, reply.IdNumber);
        Assert.Equal(Gender.Female, reply.Gender);
        Assert.Equal("Thành phố Hà Nội", reply.BirthRegistrationPlace.ProvinceName);
        Assert.Equal("Phường Phúc Xá", reply.PermanentResidence.CommuneName);
    }

    [Fact]
    public async Task ConfirmResidence_GivesTheCt07DataWithPeriodsAndValidity()
    {
        var row = await Registry.Data.AddCitizenAsync("Đặng Văn Long", 1980);

        var reply = await Population.ConfirmResidenceAsync(new ConfirmResidenceRequest { IdNumber = row.IdNumber, Access = ForDossier }, As(OfficerA));

        var period = Assert.Single(reply.Periods);
        Assert.Equal(ResidencePeriod.Types.Kind.Permanent, period.Kind);
        Assert.Equal("Phường Phúc Xá", period.Address.CommuneName);
        Assert.Equal("Phường Hồng Hà", period.Address.CurrentCommuneName);
        Assert.Null(period.Until);
        var issued = DateOnly.FromDateTime(reply.IssuedAt.ToDateTimeOffset().ToOffset(TimeSpan.FromHours(7)).DateTime);
        Assert.Equal(issued.AddDays(30), new DateOnly(reply.ValidUntil.Year, reply.ValidUntil.Month, reply.ValidUntil.Day));
    }

    [Fact]
    public async Task ConfirmResidence_UnknownCitizen_IsNotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.ConfirmResidenceAsync(
            new ConfirmResidenceRequest { IdNumber = "001085999998", Access = ForDossier }, As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("001085999998", ex.GetResourceInfo()!.ResourceName);
    }

    [Fact]
    public async Task ExtractInformation_ByAStateBody_ReturnsOnlyTheRequestedFields_Free()
    {
        var row = await Registry.Data.AddCitizenAsync("Phan Văn Tài", 1979);
        var request = Extraction(row.IdNumber, "full_name", "phone");
        request.Access.LegalBasis = "Luật Cư trú 2020, Điều 37";

        var reply = await Population.ExtractInformationAsync(request, As(OfficerA));

        Assert.Equal(["full_name", "phone"], reply.FieldsReturned);
        Assert.Equal("Phan Văn Tài", reply.Citizen.FullName);
        Assert.Equal("0912345678", reply.Citizen.Phone);
        Assert.Empty(reply.Citizen.IdNumber);
        Assert.Equal(0, reply.Fee.Vnd);
    }

    [Fact]
    public async Task ExtractInformation_ByACitizenWithConsent_Costs1000PerField_OwnDataIsFree()
    {
        var subject = await Registry.Data.AddCitizenAsync("Phan Thị Thu", 1982, Server.Population.Gender.Female);
        var requester = await Registry.Data.AddCitizenAsync("Phan Văn Tú", 1984);
        Registry.Callers.Citizen("requester", requester.IdNumber);
        var request = Extraction(subject.IdNumber, "full_name", "birth_date", "permanent_residence");
        request.ConsentReference = "Văn bản đồng ý số 12/2026";

        var other = await Population.ExtractInformationAsync(request, As("requester"));
        var own = await Population.ExtractInformationAsync(Extraction(requester.IdNumber, "full_name", "phone"), As("requester"));

        Assert.Equal(3_000, other.Fee.Vnd);
        Assert.Equal(0, own.Fee.Vnd);
    }

    [Fact]
    public async Task ExtractInformation_WithoutLegalBasisOrConsent_OrWithUnknownField_IsInvalidArgument()
    {
        var row = await Registry.Data.AddCitizenAsync("Phan Văn Tài", 1979);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.ExtractInformationAsync(Extraction(row.IdNumber, "full_name", "salary"), As(OfficerA)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(["UNKNOWN_FIELD", "LEGAL_BASIS_OR_CONSENT_REQUIRED"], ex.GetBadRequest()!.FieldViolations.Select(v => v.Reason));
    }

    [Fact]
    public async Task GetMyRecord_GivesTheCallersWholeRecord()
    {
        var row = await Registry.Data.AddCitizenAsync("Hồ Thị Ngọc", 1995, Server.Population.Gender.Female, oldCmnd: "123456789");
        Registry.Callers.Citizen("ngoc", row.IdNumber);

        var reply = await Population.GetMyRecordAsync(new GetMyRecordRequest(), As("ngoc"));

        Assert.Equal(row.IdNumber, reply.Citizen.IdNumber);
        Assert.Equal("0912345678", reply.Citizen.Phone);
        Assert.Equal(["123456789"], reply.Citizen.OldIdNumbers);
        Assert.Single(reply.Citizen.Documents);
    }

    [Fact]
    public async Task Citizen_AskingForSomeoneElsesDocument_IsPermissionDenied()
    {
        var other = await Registry.Data.AddCitizenAsync("Hồ Văn Nam", 1991);
        var me = await Registry.Data.AddCitizenAsync("Hồ Thị Ngọc", 1995, Server.Population.Gender.Female);
        Registry.Callers.Citizen("ngoc", me.IdNumber);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Population.GetPersonalIdNotificationAsync(
            new GetPersonalIdNotificationRequest { IdNumber = other.IdNumber, Access = new AccessContext { Purpose = AccessPurpose.SelfService } }, As("ngoc")).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("NOT_OWN_RECORD", ex.GetErrorInfo()!.Reason);
    }

    private static ExtractInformationRequest Extraction(string subject, params string[] fields)
        => new()
        {
            SubjectIdNumber = subject,
            Fields = { fields },
            Access = new AccessContext { Purpose = AccessPurpose.InformationExtraction, Reference = "DC02-2026-0042" },
        };
}

public sealed class PopulationDocumentsOnSqliteTests : PopulationDocumentTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class PopulationDocumentsOnPostgresTests(PostgresCluster cluster) : PopulationDocumentTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
