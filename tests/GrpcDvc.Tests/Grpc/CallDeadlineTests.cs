using GrpcDvc.Grpc.Internal;
using Microsoft.Extensions.Time.Testing;

namespace GrpcDvc.Tests.Grpc;

/// <summary>How a grpc-timeout becomes the call's deadline, on a fake clock.</summary>
public sealed class CallDeadlineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void FromHeader_Timeout_IsNowPlusTimeout()
    {
        var deadline = CallDeadline.FromHeader("250m", new FakeTimeProvider(Now));

        Assert.True(deadline.IsSet);
        Assert.False(deadline.HasExpired);
        Assert.Equal(Now.UtcDateTime.AddMilliseconds(250), deadline.Utc);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("99999999H")] // past the year 9999: no DateTime can hold it, so it counts as no deadline
    public void FromHeader_AbsentMalformedOrBeyondDateTime_IsNoDeadline(string? header)
    {
        var deadline = CallDeadline.FromHeader(header, new FakeTimeProvider(Now));

        Assert.False(deadline.IsSet);
        Assert.Equal(DateTime.MaxValue, deadline.Utc);
    }

    [Theory]
    [InlineData("0m")]
    [InlineData("0S")]
    [InlineData("99n")]
    public void FromHeader_NoTimeLeft_HasExpired(string header)
        => Assert.True(CallDeadline.FromHeader(header, new FakeTimeProvider(Now)).HasExpired);

    [Fact]
    public async Task WaitAsync_ShortTimeout_CompletesWhenItPasses()
    {
        var clock = new FakeTimeProvider(Now);
        var wait = CallDeadline.FromHeader("300m", clock).WaitAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromMilliseconds(299));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_LongerThanOneTimerCanWait_CompletesOnlyWhenItPasses()
    {
        var clock = new FakeTimeProvider(Now);
        var sixtyDays = TimeSpan.FromDays(60);
        Assert.True(sixtyDays > CallDeadline.LongestTimerDelay);
        var wait = CallDeadline.FromHeader("1440H", clock).WaitAsync(CancellationToken.None);

        clock.Advance(CallDeadline.LongestTimerDelay + TimeSpan.FromDays(1));
        await Task.Yield();
        Assert.False(wait.IsCompleted);
        clock.Advance(sixtyDays - CallDeadline.LongestTimerDelay - TimeSpan.FromDays(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitAsync_Stopped_IsCancelled()
    {
        using var stop = new CancellationTokenSource();
        var wait = CallDeadline.FromHeader("1S", new FakeTimeProvider(Now)).WaitAsync(stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
