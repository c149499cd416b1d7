using GrpcDvc.Grpc;
using GrpcDvc.Tests.Probe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Grpc;

public sealed class MethodBindingTests
{
    [Fact]
    public void Add_ServiceMissingAnRpc_FailsWithTheMissingSignature()
    {
        var registry = NewRegistry();

        var ex = Assert.Throws<InvalidOperationException>(() =>
            registry.Add<HalfProbe>(ProbeReflection.Descriptor, "dvc.testing.v1.ProbeService"));

        Assert.Contains("Fail", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Echo(", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_UnknownServiceName_Fails()
    {
        var registry = NewRegistry();
        Assert.Throws<InvalidOperationException>(() => registry.Add<HalfProbe>(ProbeReflection.Descriptor, "dvc.testing.v1.Nothing"));
    }

    [Fact]
    public void Add_CompleteService_BindsEveryRpc()
    {
        var registry = NewRegistry();
        registry.Add<Support.ProbeService>(ProbeReflection.Descriptor, "dvc.testing.v1.ProbeService");
        Assert.Equal("dvc.testing.v1.ProbeService", Assert.Single(registry.Services).FullName);
    }

    private static GrpcServiceRegistry NewRegistry()
        => new ServiceCollection()
            .AddLogging()
            .AddGrpcBinding(new ConfigurationBuilder().Build())
            .BuildServiceProvider()
            .GetRequiredService<GrpcServiceRegistry>();

    private sealed class HalfProbe
    {
        public Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoResponse());
    }
}
