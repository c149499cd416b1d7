using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Interop;

/// <summary>
/// The same interop cases with our client against our own server's grpc.testing.TestService,
/// including the compression cases with their CompressedRequest probe.
/// </summary>
public sealed class InteropClientTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    public static TheoryData<string> Cases => [.. InteropClient.Cases];

    [Theory]
    [MemberData(nameof(Cases))]
    public Task InteropCase_OurClientAgainstOurServer_Passes(string testCase)
        => new InteropClient(fixture.Server.Channel).RunAsync(testCase);
}
