namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>An account that keeps a <see cref="Lockout"/> streak in its own row.</summary>
public interface ILockable
{
    int FailedSignIns { get; set; }

    int LockoutLevel { get; set; }

    DateTime? LockedUntil { get; set; }
}

internal static class LockableExtensions
{
    public static Lockout GetLockout(this ILockable account)
        => new(account.FailedSignIns, account.LockoutLevel, account.LockedUntil);

    public static void SetLockout(this ILockable account, Lockout lockout)
    {
        account.FailedSignIns = lockout.Failures;
        account.LockoutLevel = lockout.Level;
        account.LockedUntil = lockout.LockedUntil;
    }
}
