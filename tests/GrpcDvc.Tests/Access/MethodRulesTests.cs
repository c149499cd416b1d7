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
        var found = rules.For(new TestCallContext("/dvc.testing.v1.AccessProbeService/WhoIsCalling"));

        Assert.Same(known, found);
        Assert.Equal(1, rules.Count);
    }
}
