using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Accounts;

namespace GrpcDvc.Server.Identity.Tokens;

/// <summary>The caller an account signs in as.</summary>
public static class Callers
{
    public static CallerIdentity For(CitizenAccountRecord account, Guid sessionId)
        => new(account.Id, AccountKind.Citizen, [Role.Citizen], null, account.IdNumber, sessionId, account.AssuranceLevel);

    public static CallerIdentity For(OfficialAccountRecord account, Guid sessionId)
        => new(account.Id, AccountKind.Official, account.RoleList(), account.AgencyUnitCode, null, sessionId, 0);
}

/// <summary>A short-lived access token and the refresh token that renews it.</summary>
public sealed record TokenPair(string AccessToken, DateTime AccessTokenExpiresAt, string RefreshToken, DateTime RefreshTokenExpiresAt);

/// <summary>A successful sign-in (or refresh): who, and their tokens.</summary>
public sealed record SignedIn(CallerIdentity Caller, TokenPair Tokens);
