using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Grpc.Core;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Hosting;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Hosting;

/// <summary>
/// A refused unary call passes the server's interceptors (the gate, the database-fault mapping, the status
/// messages) as the refusal it is, and none of them throws it again: in a booking storm refusals are most
/// of the answers, and each rethrow is a stack walk.
/// </summary>
public sealed class UnaryOutcomesTests
{
    [Fact]
    public async Task Refusal_LeavesEveryInterceptorOfOurs_WithoutBeingThrownAgain_AndKeepsItsStatus()
    {
        await using var server = await InProcessServer.StartAsync(null);
        var catalog = new CatalogService.CatalogServiceClient(server.Channel);
        var code = "NO-SUCH-" + Guid.NewGuid().ToString("N");
        var throwers = new List<string>();
        void Seen(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is RpcException refusal && refusal.Status.Detail.Contains(code, StringComparison.Ordinal))
            {
                // The frame that threw: the first one of the server's pipeline on this thread's stack.
                var thrower = new StackTrace(1, false).GetFrames().Select(f => f.GetMethod()?.DeclaringType).FirstOrDefault(t => t?.Assembly != typeof(object).Assembly);
                lock (throwers)
                {
                    throwers.Add(OuterName(thrower));
                }
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Seen;
        RpcException refused;
        try
        {
            refused = await Assert.ThrowsAsync<RpcException>(() => catalog.GetProcedureAsync(new GetProcedureRequest { Code = code }).ResponseAsync);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Seen;
        }

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Contains(code, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(typeof(GrpcDvc.Server.Catalog.CatalogGrpcService).FullName!, throwers);
        Assert.DoesNotContain(typeof(AuthorizationInterceptor).FullName!, throwers);
        Assert.DoesNotContain(typeof(DatabaseFaultInterceptor).FullName!, throwers);
        Assert.DoesNotContain("GrpcDvc.Server.Hosting.StatusMessages", throwers);
    }

    /// <summary>The type itself for an async method's state machine (a nested type of the method's own).</summary>
    private static string OuterName(Type? type)
    {
        while (type?.DeclaringType is { } outer && type.Name.Contains('<', StringComparison.Ordinal))
        {
            type = outer;
        }

        return type?.FullName ?? "?";
    }
}
