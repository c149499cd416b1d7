using GrpcDvc.Grpc;
using GrpcDvc.Tests.Probe;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrpcDvc.Tests.Grpc;

public sealed class MethodBindingTests
{
    [Fact]
    public void Add_ServiceMissingAnRpc_FailsWithTheMissingSignature()
    {
        var registry = new GrpcServiceRegistry(Options.Create(new GrpcServerOptions()), NullLogger<GrpcServiceRegistry>.Instance);

        var ex = Assert.Throws<InvalidOperationException>(() =>
            registry.Add<HalfProbe>(ProbeReflection.Descriptor, "dvc.testing.v1.ProbeService"));

        Assert.Contains("Fail", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Echo(", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_UnknownServiceName_Fails()
    {
        var registry = new GrpcServiceRegistry(Options.Create(new GrpcServerOptions()), NullLogger<GrpcServiceRegistry>.Instance);
        Assert.Throws<InvalidOperationException>(() => registry.Add<HalfProbe>(ProbeReflection.Descriptor, "dvc.testing.v1.Nothing"));
    }

    [Fact]
    public void Add_CompleteService_BindsEveryRpc()
    {
        var registry = new GrpcServiceRegistry(Options.Create(new GrpcServerOptions()), NullLogger<GrpcServiceRegistry>.Instance);
        registry.Add<Support.ProbeService>(ProbeReflection.Descriptor, "dvc.testing.v1.ProbeService");
        Assert.Equal("dvc.testing.v1.ProbeService", Assert.Single(registry.Services).FullName);
    }

    private sealed class HalfProbe
    {
        public Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoResponse());
    }
}
