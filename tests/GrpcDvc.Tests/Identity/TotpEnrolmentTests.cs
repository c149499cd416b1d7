using GrpcDvc.Server.Identity.Officials;

namespace GrpcDvc.Tests.Identity;

/// <summary>The otpauth:// URI an official scans: authenticator apps show its "issuer:account" label and read the parameters.</summary>
public sealed class TotpEnrolmentTests
{
    [Fact]
    public void Uri_LabelsTheAccountUnderTheIssuer_AndCarriesTheSeedAndOurParameters()
    {
        var uri = TotpEnrolment.For("Bộ Công an", "can.bo", new byte[TotpEnrolment.SecretBytes]).OtpAuthUri;

        Assert.Equal(
            "otpauth://totp/B%E1%BB%99%20C%C3%B4ng%20an:can.bo?secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&issuer=B%E1%BB%99%20C%C3%B4ng%20an&algorithm=SHA1&digits=6&period=30",
            uri);
    }
}
