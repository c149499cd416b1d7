using GrpcDvc.Grpc;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;

namespace GrpcDvc.Tests.Identity.Grpc;

/// <summary>
/// Test-only stand-in for the authorization interceptor: reads "authorization: Bearer …" through
/// <see cref="IAccessTokenReader"/> and leaves the caller on the call. It enforces no policy, so
/// these tests see what the identity services themselves do.
/// </summary>
public sealed class TestCallerInterceptor(IAccessTokenReader reader) : Interceptor
{
    protected override Task InterceptAsync(ServerCallContext context, Func<Task> continuation)
    {
        if (context.RequestHeaders.GetValue("authorization") is { Length: > 0 } header && reader.Read(header) is { } caller)
        {
            context.SetCaller(caller);
        }

        return continuation();
    }
}
