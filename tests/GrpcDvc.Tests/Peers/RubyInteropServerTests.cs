using GrpcDvc.Tests.Interop;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Peers;

/// <summary>
/// Our client SDK runs the cases of doc/interop-test-descriptions.md against gRPC's own Ruby
/// interop server (C-core underneath), for every case that server supports.
/// </summary>
public sealed class RubyInteropServerTests(RubyInteropServerFixture fixture) : IClassFixture<RubyInteropServerFixture>
{
    // Not here: client_compressed_unary and client_compressed_streaming as the document writes
    // them start with a probe the server must refuse (the CompressedRequest feature), which
    // server.rb does not implement.
    // server.rb never compresses its responses (no CompressedResponse feature), so the
    // server_compressed_* cases cannot run against it.
    [Theory]
    [InlineData("empty_unary")]
    [InlineData("large_unary")]
    [InlineData("client_streaming")]
    [InlineData("server_streaming")]
    [InlineData("ping_pong")]
    [InlineData("empty_stream")]
    [InlineData("timeout_on_sleeping_server")]
    [InlineData("cancel_after_begin")]
    [InlineData("cancel_after_first_response")]
    [InlineData("status_code_and_message")]
    [InlineData("special_status_message")]
    [InlineData("custom_metadata")]
    [InlineData("unimplemented_method")]
    [InlineData("unimplemented_service")]
    public async Task InteropCase_OurClientAgainstRubyServer_Passes(string testCase)
    {
        // Each case checks its own expectations (interop-test-descriptions.md) and throws on the first miss.
        var failure = await Record.ExceptionAsync(() => new InteropClient(fixture.Channel).RunAsync(testCase));

        Assert.True(failure is null, $"Case {testCase} failed: {failure}\nThe Ruby server printed:\n{fixture.Output}");
    }
}
