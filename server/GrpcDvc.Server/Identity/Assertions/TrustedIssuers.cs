using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace GrpcDvc.Server.Identity.Assertions;

/// <summary>The issuers whose identity assertions we accept, each with its public keys, from configuration.</summary>
public sealed class TrustedIssuers
{
    private readonly Dictionary<string, IReadOnlyList<SecurityKey>> _keys = new(StringComparer.Ordinal);

    public TrustedIssuers(IdentityOptions options, DevelopmentIdentityIssuer? development = null)
    {
        foreach (var issuer in options.Assertions.TrustedIssuers)
        {
            if (string.IsNullOrWhiteSpace(issuer.Name) || issuer.Keys.Count == 0)
            {
                throw new InvalidOperationException("Each Dvc:Identity:Assertions:TrustedIssuers entry needs a Name and at least one key.");
            }

            _keys[issuer.Name] = [.. issuer.Keys.Select(ParseKey)];
        }

        if (development is not null)
        {
            _keys[development.Name] = [development.PublicKey];
        }
    }

    public IReadOnlyList<SecurityKey>? KeysOf(string? issuer)
        => issuer is not null && _keys.TryGetValue(issuer, out var keys) ? keys : null;

    private static SecurityKey ParseKey(TrustedKeyOptions key)
    {
        var kid = string.IsNullOrWhiteSpace(key.KeyId) ? null : key.KeyId;
        // The PEM says which kind it is only inside the SubjectPublicKeyInfo: try EC, then RSA.
#pragma warning disable CA2000 // Each key object lives as long as the configuration that made it.
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(key.PublicKeyPem);
            return new ECDsaSecurityKey(ecdsa) { KeyId = kid };
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
        }
        catch (ArgumentException)
        {
            ecdsa.Dispose();
        }

        var rsa = RSA.Create();
#pragma warning restore CA2000
        try
        {
            rsa.ImportFromPem(key.PublicKeyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
            throw new InvalidOperationException($"Trusted issuer key '{kid}' is neither an EC nor an RSA public key in PEM.", ex);
        }

        return new RsaSecurityKey(rsa) { KeyId = kid };
    }
}
