using GrpcDvc.Server.Identity.Officials;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Accounts with a published password and seed are open doors: the server warns, with how many it
/// made, each time it creates some, and stays quiet when they all exist already.
/// </summary>
public sealed class DemoOfficialSeedingTests : IAsyncLifetime
{
    private const int DemoOfficialsCreated = 303;
    private IdentityHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = IdentityHarness.Start(settings: new Dictionary<string, string?> { ["Dvc:Identity:Development:Enabled"] = "true" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Seeding_WarnsWithTheNumberCreated_AndNotAtAllWhenEveryDemoOfficialExists()
    {
        var first = new WarningCounts();
        var second = new WarningCounts();

        await DemoOfficials.SeedAsync(_harness.Services, first);
        await DemoOfficials.SeedAsync(_harness.Services, second);

        Assert.Equal([DemoOfficials.Accounts.Count], first.Counts);
        Assert.Empty(second.Counts);
    }

    /// <summary>The Count of each demo-officials-created warning logged (the message text is not the rule).</summary>
    private sealed class WarningCounts : ILogger
    {
        public List<int> Counts { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == DemoOfficialsCreated && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                Assert.Equal(LogLevel.Warning, logLevel);
                Counts.Add((int)values.Single(v => v.Key == "Count").Value!);
            }
        }
    }
}
