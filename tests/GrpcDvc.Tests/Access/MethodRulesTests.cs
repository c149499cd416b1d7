using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;

namespace GrpcDvc.Tests.Access;

/// <summary>The gate works out an rpc's rule from its descriptor once; every later call finds it by its path.</summary>
public sealed class MethodRulesTests
{
    [Fact]
    public void Call_OfAnRpcWhoseRuleIsKnown_FindsItByThePathAlone()
    {
        var rules = new MethodRules(new AccessOptions());
        var whoIsCalling = AccessProbeService.Descriptor.FindMethodByName("WhoIsCalling");
        var known = rules.For(whoIsCalling);

        // This context has no HttpContext to find a descriptor through: only the path can answer.
        var found = rules.For(new PathOnlyContext("/dvc.testing.v1.AccessProbeService/WhoIsCalling"));

        Assert.Same(known, found);
        Assert.Equal(1, rules.Count);
    }

    private sealed class PathOnlyContext(string method) : ServerCallContext
    {
        protected override string MethodCore => method;

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore => [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore => [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => throw new NotSupportedException();

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
