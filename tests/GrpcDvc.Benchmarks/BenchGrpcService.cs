using Grpc.Core;
using GrpcDvc.Benchmarks.Contract;

namespace GrpcDvc.Benchmarks;

/// <summary>Target (a): dvc.bench.v1.BenchService on Grpc.AspNetCore, as the server's services are.</summary>
public sealed class BenchGrpcService(BenchWorkload workload) : BenchService.BenchServiceBase
{
    public override Task<Payload> Echo(Payload request, ServerCallContext context) => Task.FromResult(request);

    public override async Task Stream(StreamRequest request, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(workload.Payload);
        }
    }
}
