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
    public async Task InteropCase_OurClientAgainstOurServer_Passes(string testCase)
    {
        // Each case checks its own expectations (interop-test-descriptions.md) and throws on the first miss.
        var failure = await Record.ExceptionAsync(() => new InteropClient(fixture.Server.Channel).RunAsync(testCase));

        Assert.Null(failure);
    }
}
