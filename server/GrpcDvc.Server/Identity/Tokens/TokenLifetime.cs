using Microsoft.IdentityModel.JsonWebTokens;

namespace GrpcDvc.Server.Identity.Tokens;

public enum LifetimeCheck
{
    Valid,
    Missing,
    NotYetValid,
    Expired,
}

/// <summary>
/// exp / nbf checked on the injected clock. The JWT handler's own lifetime check reads the
/// system clock (its TimeProvider hook is not public in 8.x), so it is switched off and this
/// runs after signature validation instead.
/// </summary>
public static class TokenLifetime
{
    public static LifetimeCheck Check(JsonWebToken token, DateTime now, TimeSpan skew) => Check(token.ValidFrom, token.ValidTo, now, skew);

    /// <summary>nbf / exp as read from a token (<see cref="DateTime.MinValue"/> when absent).</summary>
    public static LifetimeCheck Check(DateTime validFrom, DateTime validTo, DateTime now, TimeSpan skew)
    {
        if (validTo == DateTime.MinValue)
        {
            return LifetimeCheck.Missing;
        }

        if (validFrom != DateTime.MinValue && validFrom > now + skew)
        {
            return LifetimeCheck.NotYetValid;
        }

        return validTo <= now - skew ? LifetimeCheck.Expired : LifetimeCheck.Valid;
    }
}
