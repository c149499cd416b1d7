using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Grpc;

public sealed class InterceptorTests
{

    [Fact]
    public async Task Interceptors_RunGlobalFirstInRegistrationOrder_ThenTheServicesOwn()
    {
        var trail = new CallTrail();
        await using var host = await MiniGrpcHost.StartAsync(
            services => services.AddSingleton(trail).AddGrpcInterceptor<FirstGlobal>().AddGrpcInterceptor<SecondGlobal>(),
            probeInterceptors: [typeof(ServiceOwn)]);

        var reply = await new ProbeServiceClient(host.Channel).EchoAsync(new EchoRequest { Text = "x" });

        Assert.Equal("x", reply.Text);
        Assert.Equal(["first:in", "second:in", "service:in", "service:out", "second:out", "first:out"], trail.Steps);
    }

    [Fact]
    public async Task Interceptor_ThrowingRpcException_EndsTheCallWithoutReachingTheHandler()
    {
        await using var host = await MiniGrpcHost.StartAsync(services => services.AddGrpcInterceptor<DenyAll>());

        var ex = await Assert.ThrowsAsync<RpcException>(() => new ProbeServiceClient(host.Channel).EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
    }

    [Fact]
    public async Task Interceptor_SeesTheMethodDescriptorAndRequestMessage()
    {
        var trail = new CallTrail();
        await using var host = await MiniGrpcHost.StartAsync(services => services.AddSingleton(trail).AddGrpcInterceptor<RequestReader>());

        await new ProbeServiceClient(host.Channel).EchoAsync(new EchoRequest { Text = "Căn cước" });

        Assert.Equal(["dvc.testing.v1.ProbeService.Echo:Căn cước"], trail.Steps);
    }

    public sealed class CallTrail
    {
        public List<string> Steps { get; } = [];
    }

    private abstract class Recording(CallTrail trail, string name) : Interceptor
    {
        protected override async Task InterceptAsync(ServerCallContext context, Func<Task> continuation)
        {
            trail.Steps.Add($"{name}:in");
            await continuation();
            trail.Steps.Add($"{name}:out");
        }
    }

    private sealed class FirstGlobal(CallTrail trail) : Recording(trail, "first");

    private sealed class SecondGlobal(CallTrail trail) : Recording(trail, "second");

    private sealed class ServiceOwn(CallTrail trail) : Recording(trail, "service");

    private sealed class DenyAll : Interceptor
    {
        protected override Task InterceptAsync(ServerCallContext context, Func<Task> continuation)
            => throw new RpcException(StatusCode.PermissionDenied, "No one may call this.");
    }

    private sealed class RequestReader(CallTrail trail) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            trail.Steps.Add($"{context.MethodDescriptor.FullName}:{(request as EchoRequest)?.Text}");
            return continuation(request, context);
        }
    }
}
