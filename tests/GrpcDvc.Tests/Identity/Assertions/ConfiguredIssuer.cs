using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>
/// A configured (non-development) ES256 issuer whose assertions a test shapes claim by claim,
/// to reach the checks the development issuer's well-formed assertions never trip.
/// </summary>
public sealed class ConfiguredIssuer : IDisposable
{
    public const string Name = "https://vneid.example.vn";
    public const string KeyId = "ec-2026";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Dictionary<string, string?> Settings => new()
    {
        ["Dvc:Identity:Assertions:TrustedIssuers:0:Name"] = Name,
        ["Dvc:Identity:Assertions:TrustedIssuers:0:Keys:0:KeyId"] = KeyId,
        ["Dvc:Identity:Assertions:TrustedIssuers:0:Keys:0:PublicKeyPem"] = _key.ExportSubjectPublicKeyInfoPem(),
    };

    /// <summary>Claims of a valid assertion for citizen 001203004567 issued at <paramref name="now"/>, living one minute.</summary>
    public static Dictionary<string, object> ValidClaims(DateTime now) => new(StringComparer.Ordinal)
    {
        ["iss"] = Name,
        ["aud"] = "grpcdvc-portal",
        ["iat"] = EpochTime.GetIntDate(now),
        ["exp"] = EpochTime.GetIntDate(now.AddMinutes(1)),
        ["sub"] = "001203004567",
        ["jti"] = Guid.NewGuid().ToString("N"),
        ["name"] = "Nguyễn Văn An",
        ["birthdate"] = "2003-05-17",
        ["level"] = 2,
    };

    /// <param name="kid">The key id in the header; the configured one unless given.</param>
    public string Mint(IDictionary<string, object> claims, string? kid = KeyId)
        => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256),
        });

    /// <summary>The same claims with no signature at all ("alg": "none").</summary>
    public static string MintUnsigned(IDictionary<string, object> claims)
        => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor { Claims = claims });

    public void Dispose() => _key.Dispose();
}
