using GrpcDvc.Server.Identity;
using GrpcDvc.Server.Identity.Assertions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GrpcDvc.Tests.Identity.Assertions;

/// <summary>The development issuer's key: where it is kept, and that its assertions and public key name it.</summary>
public sealed class DevelopmentIssuerTests : OnIdentityHarness
{
    // Documented location: another deployment is configured to trust this key, so it must survive restarts there.
    [Fact]
    public void Key_IsKeptUnderDataDirIdentity()
    {
        var dataDir = Path.Combine(Harness.DataDir, "issuer-home");

        _ = DevelopmentIdentityIssuer.Load(new IdentityOptions(), dataDir, Harness.Time);

        Assert.True(File.Exists(Path.Combine(dataDir, "identity", "dev-issuer-es256.key")));
    }

    // A verifier holding several keys picks this one by kid.
    [Fact]
    public void PublicKey_CarriesAKeyId() => Assert.False(string.IsNullOrEmpty(Harness.Issuer.PublicKey.KeyId));

    [Fact]
    public void MintedAssertion_NamesItsKeyId()
    {
        var assertion = new JsonWebToken(Harness.Issuer.Mint("001203004567", "Nguyễn Văn An", new DateOnly(2003, 5, 17), 2));

        Assert.False(string.IsNullOrEmpty(assertion.Kid));
    }
}
