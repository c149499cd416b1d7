using GrpcDvc.Client;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Client;

/// <summary>How statuses reach the application: codes, messages, rich details, and synthesized ones.</summary>
public sealed class ErrorStatusTests(ProbeServerFixture fixture) : IClassFixture<ProbeServerFixture>
{
    private CatalogServiceClient Catalog => new(fixture.Server.Channel);

    [Fact]
    public async Task NotFound_CarriesResourceInfoAndErrorInfo()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => Catalog.GetProcedureAsync(new GetProcedureRequest { Code = "NO-SUCH" }));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        var resource = ex.GetResourceInfo();
        Assert.NotNull(resource);
        Assert.Equal("procedure", resource.ResourceType);
        Assert.Equal("NO-SUCH", resource.ResourceName);
        var reason = ex.GetErrorInfo();
        Assert.NotNull(reason);
        Assert.Equal("PROCEDURE_NOT_FOUND", reason.Reason);
        Assert.Equal("dvc.gov.vn", reason.Domain);
        var rich = ex.GetRichStatus();
        Assert.NotNull(rich);
        Assert.Equal((int)StatusCode.NotFound, rich.Code);
        Assert.Equal(ex.Status.Detail, rich.Message);
    }

    [Fact]
    public async Task InvalidArgument_CarriesFieldViolations()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            Catalog.ListProceduresAsync(new ListProceduresRequest { Page = new PageRequest { PageSize = -1 } }));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        var violation = Assert.Single(ex.GetBadRequest()!.FieldViolations);
        Assert.Equal("page.page_size", violation.Field);
        Assert.Null(ex.GetResourceInfo());
        Assert.Null(ex.GetPreconditionFailure());
        Assert.Null(ex.GetQuotaFailure());
        Assert.Null(ex.GetRetryInfo());
    }

    [Fact]
    public async Task StatusWithoutDetails_HasNoRichStatus()
    {
        using var call = fixture.Probe.Count(new CountRequest { Count = 0, StatusCode = (int)StatusCode.FailedPrecondition });

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Null(ex.GetRichStatus());
        Assert.Null(ex.GetBadRequest());
    }

    [Fact]
    public async Task NoServerListening_IsUnavailable()
    {
        using var channel = new GrpcChannel(new Uri($"http://127.0.0.1:{FreePort.Next()}"));

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeServiceClient(channel).EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    public async Task HttpErrorStatus_MapsPerTheHttpToGrpcTable(int httpStatus, StatusCode expected)
    {
        var ex = await CallPlainServerAsync($"http-{httpStatus}");
        Assert.Equal(expected, ex.StatusCode);
        Assert.Contains(httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseWithoutGrpcStatus_IsInternal()
    {
        var ex = await CallPlainServerAsync("no-status");
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
    }

    [Fact]
    public async Task NonGrpcContentType_IsInternal()
    {
        var ex = await CallPlainServerAsync("html");
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.Contains("text/html", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcMessage_IsPercentDecoded()
    {
        var ex = await CallPlainServerAsync("encoded-message");
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("Hồ sơ đã khóa\ndòng 2 100%", ex.Status.Detail);
    }

    private static async Task<RpcException> CallPlainServerAsync(string behaviour)
    {
        await using var server = await PlainHttp2Server.StartAsync();
        using var channel = new GrpcChannel(server.Address);
        var method = new Method<EchoRequest, EchoResponse>(MethodType.Unary, $"/fake.Http/{behaviour}", EchoResponse.Parser);
        return await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(method, new EchoRequest()));
    }
}
