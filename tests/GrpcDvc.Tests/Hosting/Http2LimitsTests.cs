using Grpc.Core;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrpcDvc.Tests.Hosting;

/// <summary>The transport limits of issue 3 item 5: Kestrel's HTTP/2 limits, set from Dvc:Http2.</summary>
public sealed class Http2LimitsTests
{
    [Fact]
    public async Task Http2Limits_FromConfiguration_ReachKestrel()
    {
        await using var server = await InProcessServer.StartAsync(null,
            "--Dvc:Http2:MaxStreamsPerConnection=7", "--Dvc:Http2:MaxRequestHeadersTotalSize=8192");

        var limits = server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(7, limits.Http2.MaxStreamsPerConnection);
        Assert.Equal(8192, limits.MaxRequestHeadersTotalSize);
    }

    [Fact]
    public async Task RequestHeaders_OverTheTotalLimit_AreRefusedAndSmallerOnesPass()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Http2:MaxRequestHeadersTotalSize=4096");
        var probe = new ProbeService.ProbeServiceClient(server.Channel);

        var small = await probe.EchoAsync(new EchoRequest { Text = "nhỏ" },
            new CallOptions(new Metadata { { "x-note", new string('a', 1000) } }));
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await probe.EchoAsync(new EchoRequest { Text = "lớn" },
            new CallOptions(new Metadata { { "x-note", new string('a', 6000) } })));

        Assert.Equal("nhỏ", small.Text);
        Assert.NotEqual(StatusCode.OK, ex.StatusCode);
    }
}
