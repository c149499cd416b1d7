using GrpcDvc.Benchmarks.Contract;
using GrpcDvc.Grpc;

namespace GrpcDvc.Benchmarks;

/// <summary>Target (a): handlers of dvc.bench.v1.BenchService, bound by our gRPC binding.</summary>
public sealed class BenchGrpcService(BenchWorkload workload)
{
    public Task<Payload> Echo(Payload request, ServerCallContext context) => Task.FromResult(request);

    public async Task Stream(StreamRequest request, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(workload.Payload);
        }
    }
}
