using Google.Protobuf;
using Grpc.Core;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Hosting;

/// <summary>What ServerHost hands grpc-dotnet from configuration: message-size limits, and detailed errors only in Development.</summary>
public sealed class GrpcOptionsTests
{
    [Fact]
    public async Task Request_OverMaxReceiveMessageSize_IsResourceExhausted_AndASmallerOneIsServed()
    {
        await using var server = await InProcessServer.StartAsync(null, "--Dvc:Grpc:MaxReceiveMessageSize=1024");
        var probe = new ProbeService.ProbeServiceClient(server.Channel);

        var small = await probe.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[900]) });
        var ex = await Assert.ThrowsAsync<RpcException>(() => probe.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }).ResponseAsync);

        Assert.Equal(900, small.Payload.Length);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task FailingHandler_OutsideDevelopment_HidesTheExceptionText()
    {
        await using var server = await InProcessServer.StartAsync(null, "--environment=Production");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeService.ProbeServiceClient(server.Channel).FailAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain("hunter2", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingHandler_InDevelopment_ShowsTheExceptionText()
    {
        await using var server = await InProcessServer.StartAsync(null, "--environment=Development");

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeService.ProbeServiceClient(server.Channel).FailAsync(new EchoRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.Contains(TestProbeService.Secret, ex.Status.Detail, StringComparison.Ordinal);
    }
}
