namespace GrpcDvc.Server.Identity.SignIn;

/// <summary>What a limit counts per: the client's address, or the account (or login name) the request is for.</summary>
public enum RateLimitScope
{
    Address,
    Account,
}

/// <summary>One counter of <see cref="AbuseLimiter"/>: an action's rule for one address or one account.</summary>
public readonly record struct RateLimitKey(LimitedAction Action, RateLimitScope Scope, string Key);
