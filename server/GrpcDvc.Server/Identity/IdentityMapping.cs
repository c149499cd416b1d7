using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity.Officials;
using GrpcDvc.Server.Identity.Tokens;

namespace GrpcDvc.Server.Identity;

/// <summary>Maps identity results to the contract's messages, and the call to a <see cref="ClientContext"/>.</summary>
public static class IdentityMapping
{
    /// <summary>
    /// The client as rate limits and the audit see it: the peer's IP address without its port (a
    /// client opening new connections must not get a new bucket each time) and its user agent.
    /// </summary>
    public static ClientContext Client(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var connection = http.Connection;
        var address = connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ClientContext(address, agent.Length == 0 ? null : agent);
    }

    public static TokenResponse ToResponse(SignedIn signedIn, string displayName) => new()
    {
        AccessToken = signedIn.Tokens.AccessToken,
        AccessTokenExpiresAt = Time(signedIn.Tokens.AccessTokenExpiresAt),
        RefreshToken = signedIn.Tokens.RefreshToken,
        RefreshTokenExpiresAt = Time(signedIn.Tokens.RefreshTokenExpiresAt),
        Caller = ToMessage(signedIn.Caller, displayName),
    };

    public static Caller ToMessage(CallerIdentity caller, string displayName) => new()
    {
        AccountId = caller.AccountId.ToString("D"),
        Kind = caller.Kind == AccountKind.Citizen ? Caller.Types.Kind.Citizen : Caller.Types.Kind.Official,
        DisplayName = displayName,
        Roles = { caller.Roles },
        AgencyCode = caller.AgencyUnit ?? "",
        IdNumber = caller.IdNumber ?? "",
        AssuranceLevel = caller.AssuranceLevel,
    };

    public static OfficialAccount ToMessage(OfficialState official) => new()
    {
        AccountId = official.Id.ToString("D"),
        Username = official.Username,
        FullName = official.FullName,
        AgencyCode = official.AgencyUnitCode,
        Roles = { official.Roles },
        Disabled = official.Disabled,
    };

    /// <summary>Instants leave as UTC timestamps whatever kind the database handed back.</summary>
    public static Timestamp Time(DateTime utc) => Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
