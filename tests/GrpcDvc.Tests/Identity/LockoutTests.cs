using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Tests.Identity;

public sealed class LockoutTests
{
    private static readonly LockoutOptions Options = new()
    {
        Threshold = 5,
        BaseDuration = TimeSpan.FromMinutes(1),
        MaxDuration = TimeSpan.FromMinutes(10),
    };

    private static readonly DateTime Now = new(2026, 11, 23, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Lockout_FourFailures_DoNotLock_TheFifthLocksForTheBaseDuration()
    {
        var lockout = Fail(Lockout.None, 4);
        Assert.False(lockout.IsLocked(Now));

        lockout = lockout.AfterFailure(Now, Options);

        Assert.True(lockout.IsLocked(Now));
        Assert.Equal(TimeSpan.FromMinutes(1), lockout.RemainingAt(Now));
        Assert.False(lockout.IsLocked(Now.AddMinutes(1)));
    }

    [Fact]
    public void Lockout_EachFurtherLockWithoutSuccess_DoublesUpToTheCap()
    {
        var lockout = Lockout.None;
        var durations = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            lockout = Fail(lockout, Options.Threshold);
            durations.Add(lockout.RemainingAt(Now));
        }

        Assert.Equal([1, 2, 4, 8, 10, 10], durations.Select(d => d.TotalMinutes));
    }

    [Fact]
    public void Lockout_Success_ClearsStreakAndBackOff()
    {
        var lockout = Fail(Fail(Lockout.None, Options.Threshold), 3);

        lockout = Lockout.AfterSuccess();

        Assert.Equal(Lockout.None, lockout);
        Assert.Equal(TimeSpan.FromMinutes(1), Fail(lockout, Options.Threshold).RemainingAt(Now));
    }

    [Fact]
    public void Lockout_ManyLocks_DoNotOverflow()
    {
        var lockout = new Lockout(4, 500, null).AfterFailure(Now, Options);

        Assert.Equal(Options.MaxDuration, lockout.RemainingAt(Now));
    }

    private static Lockout Fail(Lockout lockout, int times)
    {
        for (var i = 0; i < times; i++)
        {
            lockout = lockout.AfterFailure(Now, Options);
        }

        return lockout;
    }
}
