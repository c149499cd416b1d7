namespace GrpcDvc.Tests.Identity;

/// <summary>
/// A test class whose every test runs on an identity harness of its own (xunit makes an instance per test):
/// started before the test, disposed after it.
/// </summary>
public abstract class OnIdentityHarness : IAsyncLifetime
{
    protected IdentityHarness Harness { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Harness = IdentityHarness.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();
}
