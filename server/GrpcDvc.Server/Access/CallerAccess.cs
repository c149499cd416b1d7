using Grpc.Core;

namespace GrpcDvc.Server.Access;

/// <summary>
/// Where the authorization interceptor leaves the authenticated caller for the service it calls.
/// Services never parse tokens themselves: they ask the call who is calling.
/// </summary>
public static class CallerAccess
{
    // A private key object, so nothing else that uses the call's UserState (HttpContext.Items) can collide with it.
    private static readonly object CallerKey = new();

    /// <summary>Called by the authorization interceptor once the token has been validated.</summary>
    public static void SetCaller(this ServerCallContext context, CallerIdentity caller)
        => context.UserState[CallerKey] = caller;

    /// <summary>The caller, or null on a public rpc called without a token.</summary>
    public static CallerIdentity? TryGetCaller(this ServerCallContext context)
        => context.UserState.TryGetValue(CallerKey, out var value) ? value as CallerIdentity : null;

    /// <summary>The caller; UNAUTHENTICATED when there is none (a policy bug, never a client's).</summary>
    public static CallerIdentity GetCaller(this ServerCallContext context)
        => context.TryGetCaller()
           ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "This call needs a signed-in caller."));
}
