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
    public static LifetimeCheck Check(JsonWebToken token, DateTime now, TimeSpan skew)
    {
        if (token.ValidTo == DateTime.MinValue)
        {
            return LifetimeCheck.Missing;
        }

        if (token.ValidFrom != DateTime.MinValue && token.ValidFrom > now + skew)
        {
            return LifetimeCheck.NotYetValid;
        }

        return token.ValidTo <= now - skew ? LifetimeCheck.Expired : LifetimeCheck.Valid;
    }
}
