namespace GrpcDvc.Tests.Support;

/// <summary>One in-process server (SQLite) shared by every test of a class.</summary>
public sealed class InProcessServerFixture : IAsyncLifetime
{
    public InProcessServer Server { get; private set; } = null!;

    /// <summary>host:port of the gRPC endpoint, as peers in other languages take it.</summary>
    public string GrpcTarget => $"{Server.GrpcAddress.Host}:{Server.GrpcAddress.Port}";

    public async Task InitializeAsync() => Server = await InProcessServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
