using Grpc.Net.Client;

namespace GrpcDvc.Tests.Support;

/// <summary>
/// gRPC's Ruby interop server (server.rb from Debian's ruby-grpc, over gRPC C-core) on a free
/// port, shared by a test class, with a channel of our client SDK to it.
/// </summary>
public sealed class RubyInteropServerFixture : IAsyncLifetime
{
    private RubyInteropServer? _server;

    public Uri Address { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>What the Ruby server printed so far, for failure messages.</summary>
    public string Output => _server?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        _server = await RubyInterop.StartServerAsync(FreePort.Next());
        Address = new Uri($"http://127.0.0.1:{_server.Port}");
        Channel = GrpcChannel.ForAddress(Address);
    }

    /// <summary>A channel of its own to the server, for tests that need particular options.</summary>

    public async Task DisposeAsync()
    {
        Channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
