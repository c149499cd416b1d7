using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Peers;

/// <summary>
/// gRPC's own interop client (Ruby, over gRPC C-core, from Debian's ruby-grpc) runs the official
/// test cases of doc/interop-test-descriptions.md against our server's grpc.testing.TestService.
/// A case passes when the client exits 0; it asserts the details itself.
/// </summary>
public sealed class RubyInteropClientTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    [Theory]
    [InlineData("empty_unary")]
    [InlineData("large_unary")]
    [InlineData("client_compressed_unary")]
    [InlineData("client_streaming")]
    [InlineData("client_compressed_streaming")]
    [InlineData("server_streaming")]
    [InlineData("ping_pong")]
    [InlineData("empty_stream")]
    [InlineData("timeout_on_sleeping_server")]
    [InlineData("cancel_after_begin")]
    [InlineData("cancel_after_first_response")]
    [InlineData("unimplemented_method")]
    [InlineData("unimplemented_service")]
    [InlineData("status_code_and_message")]
    [InlineData("custom_metadata")]
    public async Task InteropCase_RubyClient_Passes(string testCase)
    {
        var address = fixture.Server.GrpcAddress;
        var run = await RubyInterop.RunClientAsync(address.Host, address.Port, testCase, TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, $"Ruby interop client, case {testCase}, exited {run.ExitCode}:\n{run.Output}");
    }
}
