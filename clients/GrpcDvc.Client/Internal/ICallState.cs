using GrpcDvc.Grpc;
using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Client.Internal;

/// <summary>What every call object exposes about its call, whatever its kind.</summary>
internal interface ICallState : IDisposable
{
    Task<Metadata> GetResponseHeadersAsync();

    Status GetStatus();

    Metadata GetTrailers();
}
