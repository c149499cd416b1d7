namespace GrpcDvc.Server.Identity;

/// <summary>What sort of refusal a failure is; the service edge maps it to a gRPC status code.</summary>
public enum FailureKind
{
    /// <summary>The input is malformed (INVALID_ARGUMENT, with a field violation).</summary>
    InvalidArgument,

    /// <summary>Credentials, codes or tokens did not prove who the caller is (UNAUTHENTICATED).</summary>
    Unauthenticated,

    /// <summary>The caller is known but may not do this (PERMISSION_DENIED).</summary>
    PermissionDenied,

    /// <summary>The state does not allow it now: expired, used up, locked (FAILED_PRECONDITION).</summary>
    FailedPrecondition,

    /// <summary>Too many requests; retry after <see cref="IdentityFailure.RetryAfter"/> (RESOURCE_EXHAUSTED).</summary>
    RateLimited,

    /// <summary>The thing to create exists already (ALREADY_EXISTS).</summary>
    AlreadyExists,

    /// <summary>The thing named does not exist (NOT_FOUND).</summary>
    NotFound,

    /// <summary>An outside party (SMS gateway) failed; retrying may help (UNAVAILABLE).</summary>
    Unavailable,
}

/// <summary>
/// A refusal with a stable reason code (<see cref="IdentityReasons"/>) portals can localise, the
/// field it concerns when it is about input, and when to retry when it is about rate or lockout.
/// </summary>
public sealed record IdentityFailure(FailureKind Kind, string Reason, string Message)
{
    public string? Field { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Attempts left on an OTP challenge, when the failure is a wrong code.</summary>
    public int? AttemptsLeft { get; init; }

    public static IdentityFailure Invalid(string reason, string field, string message)
        => new(FailureKind.InvalidArgument, reason, message) { Field = field };

    public static IdentityFailure RateLimited(TimeSpan retryAfter)
        => new(FailureKind.RateLimited, IdentityReasons.RateLimited, "Too many requests; try again later.") { RetryAfter = retryAfter };

    public static IdentityFailure InvalidCredentials()
        => new(FailureKind.Unauthenticated, IdentityReasons.InvalidCredentials, "The sign-in details are not correct.");

    public static IdentityFailure Locked(TimeSpan retryAfter)
        => new(FailureKind.FailedPrecondition, IdentityReasons.AccountLocked, "The account is locked after repeated failed sign-ins.") { RetryAfter = retryAfter };
}

/// <summary>Either a value or an <see cref="IdentityFailure"/>; use cases return it instead of throwing.</summary>
public readonly record struct IdentityResult<T>
{
    private readonly T? _value;

    private IdentityResult(T? value, IdentityFailure? failure)
    {
        _value = value;
        Failure = failure;
    }

    public IdentityFailure? Failure { get; }

    public bool Succeeded => Failure is null;

    /// <summary>The value; throws when the result is a failure (check <see cref="Succeeded"/> first).</summary>
    public T Value => Failure is null ? _value! : throw new InvalidOperationException($"The result is a failure: {Failure.Reason}.");

#pragma warning disable CA1000 // Factory methods on the generic result read best at the call site: IdentityResult<T>.Ok(x).
    public static IdentityResult<T> Ok(T value) => new(value, null);

    public static IdentityResult<T> Fail(IdentityFailure failure) => new(default, failure);
#pragma warning restore CA1000

    public static implicit operator IdentityResult<T>(IdentityFailure failure) => Fail(failure);
}
