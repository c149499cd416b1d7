using Google.Protobuf.Collections;
using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Client;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Tests.Support;

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
