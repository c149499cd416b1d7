using Google.Protobuf.Collections;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Catalog.Forms;
using FeeChannel = GrpcDvc.Contracts.Catalog.V1.FeeChannel;
using FormFieldType = GrpcDvc.Contracts.Catalog.V1.FormFieldType;
using ProcessingTimeKind = GrpcDvc.Contracts.Catalog.V1.ProcessingTimeKind;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Catalog;

/// <summary>CatalogService over gRPC against a real database; run once per provider.</summary>
public abstract class CatalogServiceTests : IAsyncLifetime
{
    protected InProcessServer Server { get; private set; } = null!;

    private CatalogService.CatalogServiceClient Catalog { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        Catalog = new CatalogService.CatalogServiceClient(Server.Channel);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected abstract Task<InProcessServer> StartServerAsync();

    [Fact]
    public async Task ListProcedures_PagedByTen_ReturnsAll35OnceInCodeOrder()
    {
        var codes = new List<string>();
        var pages = 0;
        var token = string.Empty;
        do
        {
            var page = await ListAsync(new ListProceduresRequest { Page = new PageRequest { PageSize = 10, PageToken = token } });
            Assert.Equal(35, page.Page.TotalSize);
            codes.AddRange(page.Procedures.Select(p => p.Code));
            token = page.Page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal(35, codes.Distinct().Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Theory]
    [InlineData(5, 7)]
    [InlineData(7, 5)]
    [InlineData(35, 1)]
    public async Task ListProcedures_PageSizeDividingTheTotal_EndsOnAFullPageWithNoNextToken(int size, int expectedPages)
    {
        var sizes = new List<int>();
        var codes = new List<string>();
        var token = string.Empty;
        ListProceduresResponse page;
        do
        {
            page = await ListAsync(new ListProceduresRequest { Page = new PageRequest { PageSize = size, PageToken = token } });
            sizes.Add(page.Procedures.Count);
            codes.AddRange(page.Procedures.Select(p => p.Code));
            token = page.Page.NextPageToken;
        }
        while (token.Length > 0 && sizes.Count < 50);

        // Every page full, the last one too, and it says no page follows: no empty page after it.
        Assert.Equal(Enumerable.Repeat(size, expectedPages), sizes);
        Assert.Empty(page.Page.NextPageToken);
        Assert.Equal(35, codes.Distinct().Count());
    }

    [Fact]
    public async Task ListProcedures_DefaultPage_ReturnsAllWithNoNextToken()
    {
        var page = await ListAsync(new ListProceduresRequest());
        Assert.Equal(35, page.Procedures.Count);
        Assert.Empty(page.Page.NextPageToken);
    }

    [Fact]
    public async Task ListProcedures_ByServiceLevel3_ReturnsTheSixCardProcedures()
    {
        var page = await ListAsync(new ListProceduresRequest { ServiceLevel = ServiceLevel._3 });
        Assert.Equal(6, page.Procedures.Count);
        Assert.All(page.Procedures, p => Assert.Equal(ProcedureField.Identity, p.Field));
    }

    [Fact]
    public async Task ListProcedures_ByField_ReturnsOnlyThatField()
    {
        var page = await ListAsync(new ListProceduresRequest { Field = ProcedureField.Seals });
        Assert.Equal(5, page.Procedures.Count);
        Assert.All(page.Procedures, p => Assert.Equal(ProcedureField.Seals, p.Field));
    }

    [Fact]
    public async Task ListProcedures_ByAgencyLevel_ReturnsOnlyProceduresHandledThere()
    {
        var page = await ListAsync(new ListProceduresRequest { AgencyLevel = "commune" });
        Assert.Equal(12, page.Procedures.Count);
        Assert.All(page.Procedures, p => Assert.Contains(p.AgencyLevels, l => l.Code == "commune"));
    }

    [Theory]
    [InlineData("Đăng ký tạm trú")]
    [InlineData("dang ky tam tru")]
    [InlineData("DANG KY TAM TRU")]
    public async Task ListProcedures_TextWithOrWithoutDiacritics_FindsTemporaryResidence(string text)
    {
        var page = await ListAsync(new ListProceduresRequest { Text = text });
        Assert.Contains(page.Procedures, p => p.Code == "BCA-L4-03");
        Assert.All(page.Procedures, p => Assert.Contains("tạm trú", p.Name.Vi, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ListProcedures_CombinedFilters_AllApply()
    {
        var page = await ListAsync(new ListProceduresRequest { ServiceLevel = ServiceLevel._4, AgencyLevel = "district", Text = "giay chung nhan" });
        Assert.NotEmpty(page.Procedures);
        Assert.All(page.Procedures, p =>
        {
            Assert.Equal(ServiceLevel._4, p.ServiceLevel);
            Assert.Contains(p.AgencyLevels, l => l.Code == "district");
        });
    }

    [Fact]
    public async Task ListProcedures_TokenFromOtherFilters_IsInvalidArgumentNamingPageToken()
    {
        var first = await ListAsync(new ListProceduresRequest { Page = new PageRequest { PageSize = 5 } });
        var ex = await Assert.ThrowsAsync<RpcException>(() => ListAsync(new ListProceduresRequest
        {
            ServiceLevel = ServiceLevel._3,
            Page = new PageRequest { PageSize = 5, PageToken = first.Page.NextPageToken },
        }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains(FieldViolations(ex), v => v.Field == "page.page_token");
    }

    [Fact]
    public async Task ListProcedures_BadInputs_AreAllReportedAsFieldViolations()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => ListAsync(new ListProceduresRequest
        {
            ServiceLevel = (ServiceLevel)2,
            AgencyLevel = "galaxy",
            Page = new PageRequest { PageSize = -1, PageToken = "not-a-token" },
        }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(
            ["agency_level", "page.page_size", "page.page_token", "service_level"],
            FieldViolations(ex).Select(v => v.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetProcedure_KnownCode_ReturnsTheWholeEntry()
    {
        var response = await Catalog.GetProcedureAsync(new GetProcedureRequest { Code = "BCA-L4-01" });
        var procedure = response.Procedure;

        Assert.Equal("Đăng ký thường trú thực hiện tại Công an cấp xã", procedure.Name.Vi);
        Assert.Equal(ServiceLevel._4, procedure.ServiceLevel);
        Assert.Equal(ProcedureField.Residence, procedure.Field);
        Assert.Equal("commune", Assert.Single(procedure.AgencyLevels).Code);
        Assert.True(procedure.ProcessingTime.Known);
        Assert.Equal(TimeUnit.WorkingDays, procedure.ProcessingTime.Unit);
        Assert.Equal(7, procedure.ProcessingTime.Amount);
        Assert.Equal(20_000, procedure.Fees.InPerson.Vnd);
        Assert.Equal(10_000, procedure.Fees.Online.Vnd);
        Assert.Equal("CT08", procedure.ResultDocument.FormCode);
        Assert.Contains(ResultDelivery.Postal, procedure.ResultDelivery);
        Assert.True(procedure.IntakeDays.SaturdayMorning);
    }

    [Fact]
    public async Task GetProcedure_UnknownCode_IsNotFoundWithResourceInfo()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Catalog.GetProcedureAsync(new GetProcedureRequest { Code = "BCA-L9-99" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("BCA-L9-99", ex.GetResourceInfo()?.ResourceName);
    }

    [Fact]
    public async Task GetProcedure_EmptyCode_IsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Catalog.GetProcedureAsync(new GetProcedureRequest()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("code", Assert.Single(FieldViolations(ex)).Field);
    }

    [Fact]
    public async Task GetProcedureForm_PermanentResidence_GivesCt01FieldsAndTodaysTerms()
    {
        var response = await Catalog.GetProcedureFormAsync(new GetProcedureFormRequest { Code = "BCA-L4-01" });

        var today = VietnamTime.DateOf(DateTimeOffset.UtcNow);
        Assert.Equal((today.Year, today.Month, today.Day), (response.OnDate.Year, response.OnDate.Month, response.OnDate.Day));
        Assert.True(response.OnlineForm.Known);
        Assert.Equal("CT01", response.OnlineForm.FormCode);
        Assert.True(response.OnlineForm.FieldsKnown);
        var id = Assert.Single(response.OnlineForm.Fields, f => f.Key == "personal_id_number");
        Assert.Equal(FormFieldType.IdNumber, id.Type);
        Assert.Contains(response.OnlineForm.Fields, f => f is { Key: "request_content", Required: true, MaxLength: 2000 });
        Assert.Equal(["Nam", "Nữ"], response.OnlineForm.Fields.Single(f => f.Key == "gender").Choices);
        Assert.Equal((ProcessingTimeKind.WorkingDays, 7d), (response.ProcessingTime.Kind, response.ProcessingTime.Amount));
        Assert.Equal((20_000L, 10_000L), (response.Fees.InPerson.Vnd, response.Fees.Online.Vnd));
        Assert.NotEmpty(response.Fees.Sources);
    }

    [Theory]
    [InlineData(2026, 6, 30, 35_000, false)]
    [InlineData(2026, 7, 1, 35_000, false)]
    [InlineData(2027, 1, 1, 70_000, true)]
    public async Task GetProcedureForm_CardReissueOnADate_GivesTheFeeInForceThatDay(int year, int month, int day, long fee, bool waiver)
    {
        var response = await Catalog.GetProcedureFormAsync(new GetProcedureFormRequest
        {
            Code = "BCA-L3-05",
            OnDate = new Date { Year = year, Month = month, Day = day },
        });

        Assert.Equal(year, response.OnDate.Year);
        Assert.True(response.Fees.Known);
        Assert.Equal(fee, response.Fees.InPerson.Vnd);
        Assert.Equal(waiver, response.Fees.Waivers.Any(w => w is { Code: "cong_dan_so_online", Channel: FeeChannel.Online }));
        Assert.Equal("DC02", response.OnlineForm.FormCode);
        Assert.False(response.OnlineForm.FieldsKnown);
        Assert.Empty(response.OnlineForm.Fields);
    }

    [Fact]
    public async Task GetProcedureForm_ConflictingSources_ShowsTheAppliedValueAndTheOther()
    {
        var response = await Catalog.GetProcedureFormAsync(new GetProcedureFormRequest { Code = "BCA-L4-05", OnDate = new Date { Year = 2026, Month = 4, Day = 1 } });

        Assert.Equal(3d, response.ProcessingTime.Amount);
        Assert.Equal(2026, response.ProcessingTime.ValidFrom.Year);
        Assert.Contains(response.ProcessingTime.Conflict.Alternatives, a => a.Value == "2 working days");
    }

    [Fact]
    public async Task GetProcedureForm_FormNotKnown_SaysSoWithTheReason_AndTermsUnknown()
    {
        var response = await Catalog.GetProcedureFormAsync(new GetProcedureFormRequest { Code = "BCA-L4-12" });

        Assert.False(response.OnlineForm.Known);
        Assert.Empty(response.OnlineForm.FormCode);
        Assert.NotEmpty(response.OnlineForm.Note.En);
        Assert.Equal(ProcessingTimeKind.Unknown, response.ProcessingTime.Kind);
        Assert.False(response.Fees.Known);
    }

    [Fact]
    public async Task GetProcedureForm_UnknownCode_IsNotFoundWithResourceInfo()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Catalog.GetProcedureFormAsync(new GetProcedureFormRequest { Code = "BCA-L9-99" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("BCA-L9-99", ex.GetResourceInfo()?.ResourceName);
    }

    [Theory]
    [InlineData("", 2026, 1, 1, new[] { "code" })]
    [InlineData("dang ky tam tru", 2026, 1, 1, new[] { "code" })]
    [InlineData("BCA-L4-01", 2026, 2, 30, new[] { "on_date" })]
    [InlineData("BCA-L4-01-0123456789-0123456789-0123456789", 0, 13, 0, new[] { "code", "on_date" })]
    public async Task GetProcedureForm_BadCodeOrDate_IsInvalidArgumentNamingEachField(string code, int year, int month, int day, string[] fields)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Catalog.GetProcedureFormAsync(new GetProcedureFormRequest
        {
            Code = code,
            OnDate = new Date { Year = year, Month = month, Day = day },
        }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(fields, FieldViolations(ex).Select(v => v.Field));
    }

    [Fact]
    public async Task ProcedureForms_Service_GivesTheFormAndTermsOnADate_OrNullForAnUnknownCode()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var forms = scope.ServiceProvider.GetRequiredService<IProcedureForms>();

        var stay = await forms.FindForProcedureAsync("BCA-L4-10", new DateOnly(2026, 12, 1), CancellationToken.None);
        Assert.NotNull(stay);
        Assert.Equal("TB-LUU-TRU", stay.Form?.Code);
        Assert.True(stay.Form!.IsStatutoryContent);
        Assert.Equal(GrpcDvc.Server.Catalog.Forms.ProcessingTimeKind.Immediate, stay.Time.Kind);
        Assert.Empty(FormValidator.Validate(stay.Form, new Dictionary<string, string>
        {
            ["full_name"] = "Trần Bình", ["date_of_birth"] = "1985-02-03", ["id_or_passport_number"] = "B1234567",
            ["reason"] = "Thăm người thân", ["stay_from"] = "2026-12-01", ["stay_to"] = "2026-12-03", ["stay_address"] = "Số 2, phường Cửa Nam, Hà Nội",
        }));
        var removal = await forms.FindForProcedureAsync("BCA-L4-05", new DateOnly(2026, 3, 14), CancellationToken.None);
        Assert.Equal(2m, removal!.Time.Amount);
        Assert.Null(await forms.FindForProcedureAsync("BCA-L9-99", new DateOnly(2026, 3, 14), CancellationToken.None));
    }

    [Fact]
    public async Task Seeding_ARowStoredBeforeDatedTerms_GetsThem_AndFormsAreNotAddedTwice()
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var row = await db.Procedures().SingleAsync(p => p.Code == "BCA-L4-03");
        row.TermsJson = null;
        await db.SaveChangesAsync();

        await CatalogSeeder.SeedAsync(db, CatalogData.Load(CatalogSeeder.DefaultDataPath), CancellationToken.None);
        var added = await CatalogSeeder.SeedFormsAsync(db, FormsData.Load(FormsData.DefaultPath), CancellationToken.None);

        Assert.Equal(0, added);
        Assert.Equal(FormsData.Load(FormsData.DefaultPath).Forms.Count, await db.Forms().CountAsync());
        var terms = (await db.Procedures().AsNoTracking().SingleAsync(p => p.Code == "BCA-L4-03")).TermsJson;
        Assert.Equal(15_000, ProcedureTermsData.Parse(terms!).FeesOn(new DateOnly(2026, 1, 1)).InPersonVnd);
    }

    private Task<ListProceduresResponse> ListAsync(ListProceduresRequest request) => Catalog.ListProceduresAsync(request).ResponseAsync;

    private static RepeatedField<BadRequest.Types.FieldViolation> FieldViolations(RpcException ex)
        => ex.GetBadRequest()?.FieldViolations ?? [];
}

public sealed class CatalogServiceOnSqliteTests : CatalogServiceTests
{
    protected override Task<InProcessServer> StartServerAsync() => InProcessServer.StartAsync();
}

[Collection(PostgresCollection.Name)]
public sealed class CatalogServiceOnPostgresTests(PostgresCluster cluster) : CatalogServiceTests
{
    protected override async Task<InProcessServer> StartServerAsync()
        => await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync());
}
