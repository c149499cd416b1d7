using GrpcDvc.Contracts.Catalog.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GrpcDvc.Tests.Web;

/// <summary>
/// The sample portal (clients/portal, bundled by its build.sh), served at /portal/ by the web
/// endpoint, running in Chromium: it calls a unary rpc (CatalogService/ListProcedures) and a
/// server-streaming rpc (grpc.health.v1.Health/Watch) over gRPC-Web through protobuf-ts's
/// GrpcWebFetchTransport, in the binary and the base64 text format, and shows what they answered.
/// </summary>
public sealed class PortalBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string ListProceduresPath = "/dvc.catalog.v1.CatalogService/ListProcedures";
    private const string HealthWatchPath = "/grpc.health.v1.Health/Watch";
    private const string PermanentResidence = "Đăng ký thường trú thực hiện tại Công an cấp xã";

    // The text format's media type as the transport sends it: without a suffix, the messages are
    // protobuf (PROTOCOL-WEB.md), the same as "application/grpc-web-text+proto".
    [Theory]
    [InlineData("binary", "application/grpc-web+proto")]
    [InlineData("text", "application/grpc-web-text")]
    public async Task Portal_UnaryListProcedures_ShowsTheCatalogsProcedures(string format, string contentType)
    {
        var (page, calls) = await OpenPortalAsync(format);
        try
        {
            await Assertions.Expect(page.Locator("#procedures")).ToHaveAttributeAsync("data-state", "loaded");

            await Assertions.Expect(page.Locator("tr[data-code='BCA-L4-01'] td.name")).ToHaveTextAsync(PermanentResidence);
            var shown = await page.Locator("#procedure-rows tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.code)");
            Assert.Equal(await CatalogCodesAsync(), shown.Order(StringComparer.Ordinal));
            await Assertions.Expect(page.Locator("#procedure-status")).ToHaveTextAsync($"{shown.Length} thủ tục");

            var call = calls.First(c => c.Url.EndsWith(ListProceduresPath, StringComparison.Ordinal));
            Assert.Equal("POST", call.Method);
            Assert.Equal(contentType, await call.HeaderValueAsync("content-type"));
            AssertOneDataFrame(format == "text" ? Convert.FromBase64String(call.PostData!) : call.PostDataBuffer!);
            var response = await call.ResponseAsync();
            Assert.NotNull(response);
            // grpc-dotnet answers in the request's format and leaves the default +proto unsaid.
            Assert.Equal(contentType.Replace("+proto", "", StringComparison.Ordinal), await response.HeaderValueAsync("content-type"));
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    [Theory]
    [InlineData("binary", "application/grpc-web+proto")]
    [InlineData("text", "application/grpc-web-text")]
    public async Task Portal_ServerStreamingHealthWatch_ShowsServing_ThenEachChangeOnTheSameStream(string format, string contentType)
    {
        var health = fixture.Server.Health;
        var (page, calls) = await OpenPortalAsync(format);
        try
        {
            var state = page.Locator("#health-state");
            await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "SERVING");
            await Assertions.Expect(state).ToHaveTextAsync("Máy chủ đang phục vụ");

            // A status change reaches the page as a second message of the same open stream.
            health.Healthy = false;
            await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "NOT_SERVING");
            health.Healthy = true;
            await Assertions.Expect(state).ToHaveAttributeAsync("data-state", "SERVING");

            var events = await page.Locator("#health-events li").AllTextContentsAsync();
            Assert.Equal(["SERVING", "NOT_SERVING", "SERVING"], events.Select(e => e[(e.LastIndexOf(' ') + 1)..]));
            var watch = Assert.Single(calls, c => c.Url.EndsWith(HealthWatchPath, StringComparison.Ordinal));
            Assert.Equal("POST", watch.Method);
            Assert.Equal(contentType, await watch.HeaderValueAsync("content-type"));
        }
        finally
        {
            health.Healthy = true;
            await page.CloseAsync();
        }
    }

    /// <summary>A request body on the wire: one uncompressed data frame holding the whole message.</summary>
    private static void AssertOneDataFrame(byte[] body)
    {
        Assert.True(body.Length >= 5, $"a {body.Length}-byte body has no frame header");
        Assert.Equal(0, body[0]);
        Assert.Equal(body.Length - 5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1, 4)));
    }

    /// <summary>Opens /portal/ in a fresh page, keeping every request it makes.</summary>
    private async Task<(IPage Page, List<IRequest> Calls)> OpenPortalAsync(string format)
    {
        var page = await fixture.Browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var calls = new List<IRequest>();
        page.Request += (_, request) =>
        {
            lock (calls)
            {
                calls.Add(request);
            }
        };
        var response = await page.GotoAsync(new Uri(fixture.Server.WebAddress, $"/portal/?format={format}").ToString());
        Assert.True(response?.Ok, $"GET /portal/ answered {response?.Status}");
        return (page, calls);
    }

    /// <summary>Every procedure code in the catalog, read with our own client for comparison.</summary>
    private async Task<List<string>> CatalogCodesAsync()
    {
        var catalog = new CatalogService.CatalogServiceClient(fixture.Server.Channel);
        var codes = new List<string>();
        var request = new ListProceduresRequest { Page = new() { PageSize = 50 } };
        do
        {
            var page = await catalog.ListProceduresAsync(request);
            codes.AddRange(page.Procedures.Select(p => p.Code));
            request.Page.PageToken = page.Page.NextPageToken;
        }
        while (request.Page.PageToken.Length > 0);

        return [.. codes.Order(StringComparer.Ordinal)];
    }
}
