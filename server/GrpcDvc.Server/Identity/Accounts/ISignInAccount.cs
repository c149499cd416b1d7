namespace GrpcDvc.Server.Identity.Accounts;

/// <summary>What the last steps of a password sign-in need of an account, citizen or official.</summary>
public interface ISignInAccount : ILockable
{
    Guid Id { get; }

    bool Disabled { get; }

    DateTime? LastSignInAt { get; set; }
}
