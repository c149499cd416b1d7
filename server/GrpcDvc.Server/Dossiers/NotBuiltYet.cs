using Grpc.Core;

namespace GrpcDvc.Server.Dossiers;

/// <summary>The answer of a part of the capability still being built (UNIMPLEMENTED, never a silent success).</summary>
internal static class NotBuiltYet
{
    public static RpcException Error(string what) => new(new Status(StatusCode.Unimplemented, $"{what} is not built yet."));
}
