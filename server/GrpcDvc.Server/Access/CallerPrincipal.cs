using System.Security.Claims;

namespace GrpcDvc.Server.Access;

/// <summary>
/// The caller of a validated access token as ASP.NET Core sees it (<c>HttpContext.User</c>): standard claims
/// for anything that reads a ClaimsPrincipal (roles included), and the <see cref="CallerIdentity"/> itself, so
/// the gate and services need not parse claims back on every call.
/// </summary>
public sealed class CallerPrincipal : ClaimsIdentity
{
    public const string Scheme = "dvc-access-token";
    public const string KindClaim = "dvc:kind";
    public const string SessionClaim = "dvc:session";
    public const string AgencyClaim = "dvc:agency";
    public const string IdNumberClaim = "dvc:id_number";

    public CallerPrincipal(CallerIdentity caller)
        : base(ClaimsOf(caller), Scheme, ClaimTypes.NameIdentifier, ClaimTypes.Role)
        => Caller = caller;

    public CallerIdentity Caller { get; }

    /// <summary>The caller a principal speaks for, or null when it is not one of ours (anonymous, another scheme).</summary>
    public static CallerIdentity? Read(ClaimsPrincipal? user)
        => user?.Identities.OfType<CallerPrincipal>().FirstOrDefault()?.Caller;

    private static IEnumerable<Claim> ClaimsOf(CallerIdentity caller)
    {
        yield return new Claim(ClaimTypes.NameIdentifier, caller.AccountId.ToString("D"));
        yield return new Claim(KindClaim, caller.Kind == AccountKind.Citizen ? "citizen" : "official");
        yield return new Claim(SessionClaim, caller.SessionId.ToString("D"));
        foreach (var role in caller.Roles)
        {
            yield return new Claim(ClaimTypes.Role, RoleNames.Name(role));
        }

        if (caller.AgencyUnit is { } unit)
        {
            yield return new Claim(AgencyClaim, unit);
        }

        if (caller.IdNumber is { } idNumber)
        {
            yield return new Claim(IdNumberClaim, idNumber);
        }
    }
}
