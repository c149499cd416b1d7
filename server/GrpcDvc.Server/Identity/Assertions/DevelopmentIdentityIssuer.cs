using System.Security.Cryptography;
using GrpcDvc.Server.Identity.Secrets;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Server.Identity.Assertions;

/// <summary>
/// Stands in for VNeID in development, tests and the demo: mints identity assertions with an
/// ES256 key generated once and kept under DataDir/identity. Registered, and trusted, only when
/// Dvc:Identity:DevelopmentIssuer:Enabled is true — never in production.
/// </summary>
public sealed class DevelopmentIdentityIssuer
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(2);

    private readonly ECDsaSecurityKey _signingKey;
    private readonly string _audience;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="key">An ECDSA P-256 key with its private part; the issuer keeps it.</param>
    public DevelopmentIdentityIssuer(string name, ECDsa key, string audience, TimeProvider time)
    {
        Name = name;
        _audience = audience;
        _time = time;
        var thumbprint = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        var kid = "dev-" + Convert.ToHexStringLower(thumbprint.AsSpan(0, 8));
        _signingKey = new ECDsaSecurityKey(key) { KeyId = kid };
#pragma warning disable CA2000 // The public-only copy lives as long as this issuer.
        var publicOnly = ECDsa.Create();
#pragma warning restore CA2000
        publicOnly.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        PublicKey = new ECDsaSecurityKey(publicOnly) { KeyId = kid };
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>The "iss" of its assertions.</summary>
    public string Name { get; }

    public SecurityKey PublicKey { get; }

    /// <summary>For configuring another deployment to trust this issuer.</summary>
    public string PublicKeyPem { get; }

    /// <summary>The configured issuer with its key from DataDir/identity/dev-issuer-es256.key (created on first use).</summary>
    public static DevelopmentIdentityIssuer Load(IdentityOptions options, string dataDir, TimeProvider time)
    {
        var path = Path.Combine(dataDir, "identity", "dev-issuer-es256.key");
        var pkcs8 = PrivateFile.ReadOrCreate(path, () =>
        {
            using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return fresh.ExportPkcs8PrivateKey();
        });
#pragma warning disable CA2000 // Owned by the issuer, which lives as long as the application.
        var key = ECDsa.Create();
#pragma warning restore CA2000
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return new DevelopmentIdentityIssuer(options.DevelopmentIssuer.Name, key, options.Assertions.PortalClientId, time);
    }

    /// <summary>An assertion for a citizen, as the portal would receive it after signing in at the issuer.</summary>
    /// <param name="audience">Another audience than our portal's, to test refusal.</param>
    public string Mint(string idNumber, string fullName, DateOnly birthDate, int level, TimeSpan? lifetime = null, string? audience = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Name,
            Audience = audience ?? _audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? DefaultLifetime),
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = idNumber,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [AssertionClaims.Name] = fullName,
                [AssertionClaims.BirthDate] = birthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                [AssertionClaims.Level] = level,
            },
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
