using GrpcDvc.Client;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Client;

/// <summary>One in-process server shared by a test class, with a typed client to its probe service.</summary>
public sealed class ProbeServerFixture : IAsyncLifetime
{
    public InProcessServer Server { get; private set; } = null!;

    public ProbeServiceClient Probe { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync();
        Probe = new ProbeServiceClient(Server.Channel);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A channel of its own to the server, for tests that need particular options.</summary>
    public GrpcChannel NewChannel(GrpcChannelOptions options) => new(Server.GrpcAddress, options);

    /// <summary>Guards a test against hanging forever if the behaviour under test breaks; not a timing assertion.</summary>
    public static Task<T> Guard<T>(Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(30));

    public static Task Guard(Task task) => task.WaitAsync(TimeSpan.FromSeconds(30));
}
