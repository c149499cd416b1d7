namespace GrpcDvc.Tests.Identity;

/// <summary>
/// A test class whose every test runs on an identity harness of its own (xunit makes an instance per test):
/// started before the test (<see cref="Start"/>, then <see cref="Arrange"/>), disposed after it.
/// </summary>
public abstract class OnIdentityHarness : IAsyncLifetime
{
    protected IdentityHarness Harness { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Harness = Start();
        Arrange(Harness);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Harness.DisposeAsync();

    /// <summary>The harness; override to add services before identity's own.</summary>
    protected virtual IdentityHarness Start() => IdentityHarness.Start();

    /// <summary>What every test of the class finds in place.</summary>
    protected virtual void Arrange(IdentityHarness harness)
    {
    }
}

/// <summary>A harness whose population registry holds one citizen who may register (<see cref="IdNumber"/>, <see cref="Phone"/>).</summary>
public abstract class OnRegistrableCitizen : OnIdentityHarness
{
    protected const string IdNumber = "001090004567";
    protected const string Phone = "+84912345678";

    protected override void Arrange(IdentityHarness harness) => harness.Registry.Add(IdNumber, "Nguyễn Văn An", new DateOnly(1990, 5, 17), Phone);
}
