using System.Security.Cryptography;
using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>Trusted issuers as read from configuration: what is refused at start-up, and what each key carries.</summary>
public sealed class TrustedIssuersTests
{
    private const string Issuer = "https://vneid.example.vn";

    // An issuer without keys could never verify anything; it is a configuration mistake, said at start-up.
    [Fact]
    public void Issuer_WithANameButNoKeys_IsRefused()
        => Assert.Throws<InvalidOperationException>(() => new TrustedIssuers(With(new TrustedIssuerOptions { Name = Issuer })));

    [Theory]
    [InlineData("not a pem at all")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAAAAAA\n-----END PUBLIC KEY-----")]
    public void Key_NeitherEcNorRsa_IsRefusedAsConfiguration(string pem)
        => Assert.Throws<InvalidOperationException>(() => new TrustedIssuers(With(Entry("k1", pem))));

    // The kid is how a token's header picks the key among an issuer's keys.
    [Fact]
    public void EcKey_KeepsItsConfiguredKeyId()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Equal("ec-2026", Assert.Single(new TrustedIssuers(With(Entry("ec-2026", ec.ExportSubjectPublicKeyInfoPem()))).KeysOf(Issuer)!).KeyId);
    }

    [Fact]
    public void RsaKey_KeepsItsConfiguredKeyId()
    {
        using var rsa = RSA.Create(2048);

        Assert.Equal("rsa-2026", Assert.Single(new TrustedIssuers(With(Entry("rsa-2026", rsa.ExportSubjectPublicKeyInfoPem()))).KeysOf(Issuer)!).KeyId);
    }

    // A blank KeyId in configuration means "no kid", not a kid of spaces no token would carry.
    [Fact]
    public void BlankKeyId_IsNoKeyId()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Null(Assert.Single(new TrustedIssuers(With(Entry("  ", ec.ExportSubjectPublicKeyInfoPem()))).KeysOf(Issuer)!).KeyId);
    }

    private static TrustedIssuerOptions Entry(string keyId, string pem)
        => new() { Name = Issuer, Keys = [new TrustedKeyOptions { KeyId = keyId, PublicKeyPem = pem }] };

    private static IdentityOptions With(TrustedIssuerOptions issuer)
        => new() { Assertions = new AssertionOptions { TrustedIssuers = [issuer] } };
}
