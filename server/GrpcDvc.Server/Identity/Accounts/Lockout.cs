namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>
/// An account's failed sign-in streak. After <see cref="LockoutOptions.Threshold"/> consecutive
/// failures the account locks for <see cref="LockoutOptions.BaseDuration"/>, doubling with each
/// further lock up to <see cref="LockoutOptions.MaxDuration"/>; a success clears everything.
/// While locked no password is checked, so a lock cannot be used to keep guessing.
/// </summary>
public readonly record struct Lockout(int Failures, int Level, DateTime? LockedUntil)
{
    public static Lockout None => default;

    public bool IsLocked(DateTime now) => LockedUntil is { } until && until > now;

    public TimeSpan RemainingAt(DateTime now) => LockedUntil is { } until && until > now ? until - now : TimeSpan.Zero;

    public Lockout AfterFailure(DateTime now, LockoutOptions options)
    {
        var failures = Failures + 1;
        if (failures < options.Threshold)
        {
            return this with { Failures = failures };
        }

        // 2^level without overflow: beyond 30 doublings the cap has long been reached.
        var factor = Math.Pow(2, Math.Min(Level, 30));
        var duration = TimeSpan.FromTicks((long)Math.Min(options.BaseDuration.Ticks * factor, options.MaxDuration.Ticks));
        return new Lockout(0, Level + 1, now + duration);
    }

    public static Lockout AfterSuccess() => None;
}
