using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// The gate stands in front of streaming rpcs as it does in front of unary ones: server, client and
/// duplex streaming calls of a service without a policy are refused before they run, and the same
/// calls of an allow-listed service are served in full.
/// </summary>
public sealed class StreamingGateTests
{
    [Fact]
    public async Task StreamingRpcs_OfAServiceWithoutPolicy_AreDenied_InEveryShape()
    {
        // Index 0 of the allow-list normally names the probe service; here it names something else.
        await using var server = await InProcessServer.StartAsync(null, $"--Dvc:Access:ServicesWithoutPolicy:0={InProcessServer.InteropServiceName}");
        var probe = new ProbeService.ProbeServiceClient(server.Channel);

        var serverStreaming = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = probe.Count(new CountRequest { Count = 2 });
            await call.ResponseStream.ReadAllAsync().ToListAsync();
        });
        var clientStreaming = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = probe.Collect();
            await call.RequestStream.CompleteAsync();
            await call.ResponseAsync;
        });
        var duplex = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = probe.Chat();
            await call.RequestStream.CompleteAsync();
            await call.ResponseStream.ReadAllAsync().ToListAsync();
        });

        Assert.All([serverStreaming, clientStreaming, duplex], ex => AuthorizationGateTests.AssertStatus(ex, StatusCode.PermissionDenied, AccessReasons.NoPolicy));
    }

    [Fact]
    public async Task StreamingRpcs_OfAnAllowListedService_AreServedInFull_InEveryShape()
    {
        await using var server = await InProcessServer.StartAsync();
        var probe = new ProbeService.ProbeServiceClient(server.Channel);

        using var count = probe.Count(new CountRequest { Count = 2 });
        var counted = await count.ResponseStream.ReadAllAsync().Select(r => r.Text).ToListAsync();

        using var collect = probe.Collect();
        await collect.RequestStream.WriteAsync(new EchoRequest { Text = "a" });
        await collect.RequestStream.WriteAsync(new EchoRequest { Text = "b" });
        await collect.RequestStream.CompleteAsync();
        var collected = await collect.ResponseAsync;

        using var chat = probe.Chat();
        await chat.RequestStream.WriteAsync(new EchoRequest { Text = "hi" });
        await chat.RequestStream.CompleteAsync();
        var answers = await chat.ResponseStream.ReadAllAsync().Select(r => r.Text).ToListAsync();

        Assert.Equal(["#1", "#2"], counted);
        Assert.Equal("ab", collected.Text);
        Assert.Equal(["re: hi"], answers);
    }
}
