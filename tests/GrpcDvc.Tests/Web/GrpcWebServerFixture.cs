using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Web;

/// <summary>One server for the gRPC-Web wire tests, letting pages from <see cref="PortalOrigin"/> call it.</summary>
public sealed class GrpcWebServerFixture : IAsyncLifetime
{
    public const string PortalOrigin = "https://dichvucong.example";

    public InProcessServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
        => Server = await InProcessServer.StartAsync(null, $"--Dvc:GrpcWeb:AllowedOrigins:0={PortalOrigin}/");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
