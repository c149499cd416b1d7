using System.Security.Cryptography;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Identity.Tokens;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// Access tokens for tests, minted by the server's own TokenService (so they are exactly what a
/// sign-in returns), plus the broken kinds: expired, signed by a key the server never had.
/// </summary>
internal static class TestCallers
{
    public const string CitizenIdNumber = "001203004567";

    public static async Task<string> OfficialAsync(InProcessServer server, string agencyUnit, params Role[] roles)
        => (await OfficialSignedInAsync(server, agencyUnit, roles)).AccessToken;

    public static async Task<TokenPair> OfficialSignedInAsync(InProcessServer server, string agencyUnit, params Role[] roles)
    {
        var official = new OfficialAccountRecord
        {
            Id = Guid.NewGuid(),
            Username = $"test.{Guid.NewGuid():N}",
            FullName = "Nguyễn Văn Kiểm",
            AgencyUnitCode = agencyUnit,
            PasswordHash = "-",
            TotpSecretSealed = "-",
            Roles = [.. roles.Select(r => new OfficialRoleRecord { Role = RoleNames.Name(r) })],
        };
        await using var scope = server.Services.CreateAsyncScope();
        var signedIn = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(official, CancellationToken.None);
        return signedIn.Tokens;
    }

    public static async Task<string> CitizenAsync(InProcessServer server, string idNumber = CitizenIdNumber)
    {
        var citizen = new CitizenAccountRecord { Id = Guid.NewGuid(), IdNumber = idNumber, FullName = "Trần Thị Dân" };
        await using var scope = server.Services.CreateAsyncScope();
        var signedIn = await scope.ServiceProvider.GetRequiredService<TokenService>().IssueAsync(citizen, CancellationToken.None);
        return signedIn.Tokens.AccessToken;
    }

    /// <summary>Signed by the server's own key ring, but on a clock an hour behind: long expired.</summary>
    public static async Task<string> ExpiredAsync(InProcessServer server)
    {
        var services = server.Services;
        var past = new FakeTimeProvider(TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1));
        var codec = new AccessTokenCodec(services.GetRequiredService<SigningKeyRing>(), services.GetRequiredService<IdentityOptions>(), past, new VerifiedTokens());
        var caller = new CallerIdentity(Guid.NewGuid(), AccountKind.Official, [Role.IntakeOfficer], "P34-01", null, Guid.NewGuid(), 0);
        var (token, _) = await codec.CreateAsync(caller, CancellationToken.None);
        return token;
    }

    /// <summary>Well formed, right issuer and audience, but signed with a key the server never had.</summary>
    public static string SignedByUnknownKey(InProcessServer server)
    {
        var options = server.Services.GetRequiredService<IdentityOptions>();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            TokenType = AccessTokenCodec.TokenType,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString("D"),
                ["kind"] = "official",
                ["roles"] = new List<string> { "administrator" },
                ["sid"] = Guid.NewGuid().ToString("D"),
                ["agency"] = "BCA",
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = "forged-key" }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    public static CallOptions Bearer(string? token)
    {
        if (token is null)
        {
            return new CallOptions();
        }

        return new CallOptions(new Metadata { { "authorization", $"Bearer {token}" } });
    }
}
