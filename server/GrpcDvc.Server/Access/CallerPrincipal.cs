using System.Security.Claims;
using GrpcDvc.Server.Identity;

namespace GrpcDvc.Server.Access;

/// <summary>
/// The caller of a validated access token as ASP.NET Core sees it (<c>HttpContext.User</c>): standard claims
/// for anything that reads a ClaimsPrincipal (roles included), and the <see cref="CallerIdentity"/> itself, so
/// the gate and services need not parse claims back on every call.
/// </summary>
public sealed class CallerPrincipal : ClaimsIdentity
{
    public const string Scheme = "dvc-access-token";

    public CallerPrincipal(CallerIdentity caller)
        : base(ClaimsOf(caller), Scheme, AccessTokenClaims.Subject, ClaimTypes.Role)
        => Caller = caller;

    public CallerIdentity Caller { get; }

    /// <summary>The caller a principal speaks for, or null when it is not one of ours (anonymous, another scheme).</summary>
    public static CallerIdentity? Read(ClaimsPrincipal? user)
        => user?.Identities.OfType<CallerPrincipal>().FirstOrDefault()?.Caller;

    private static IEnumerable<Claim> ClaimsOf(CallerIdentity caller)
    {
        yield return new Claim(AccessTokenClaims.Subject, caller.AccountId.ToString("D"));
        yield return new Claim(AccessTokenClaims.Kind, caller.Kind == AccountKind.Citizen ? "citizen" : "official");
        yield return new Claim(AccessTokenClaims.Session, caller.SessionId.ToString("D"));
        foreach (var role in caller.Roles)
        {
            yield return new Claim(ClaimTypes.Role, RoleNames.Name(role));
        }

        if (caller.AgencyUnit is { } unit)
        {
            yield return new Claim(AccessTokenClaims.AgencyUnit, unit);
        }

        if (caller.IdNumber is { } idNumber)
        {
            yield return new Claim(AccessTokenClaims.IdNumber, idNumber);
        }
    }
}
