using System.Text;
using GrpcDvc.Server.Identity.Officials;
using OtpNet;

namespace GrpcDvc.Tests.Identity;

/// <summary>
/// Our TOTP rules over Otp.NET: the RFC 6238 appendix B (SHA-1) secret, codes computed as an
/// authenticator app computes them, the drift window the sign-in accepts, and the enrolment URI.
/// </summary>
public sealed class TotpTests
{
    private static readonly byte[] Rfc6238Secret = Encoding.ASCII.GetBytes("12345678901234567890");

    private static string CodeAt(DateTimeOffset instant) => new Totp(Rfc6238Secret).ComputeTotp(instant.UtcDateTime);

    [Fact]
    public void Match_Rfc6238VectorAt59Seconds_IsItsLastSixDigits()
    {
        // RFC 6238 appendix B: T = 59 s gives 94287082 at 8 digits; authenticator apps show the last 6.
        var now = DateTimeOffset.FromUnixTimeSeconds(59);

        Assert.Equal(1, TotpCode.Match(Rfc6238Secret, "287082", now));
    }

    [Fact]
    public void Match_CodeOfOneStepEitherSide_IsAccepted_TwoStepsAway_IsNot()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var step = now.ToUnixTimeSeconds() / TotpCode.StepSeconds;
        var stepLength = TimeSpan.FromSeconds(TotpCode.StepSeconds);

        Assert.Equal(step, TotpCode.Match(Rfc6238Secret, CodeAt(now), now));
        Assert.Equal(step - 1, TotpCode.Match(Rfc6238Secret, CodeAt(now - stepLength), now));
        Assert.Equal(step + 1, TotpCode.Match(Rfc6238Secret, CodeAt(now + stepLength), now));
        Assert.Null(TotpCode.Match(Rfc6238Secret, CodeAt(now - 2 * stepLength), now));
        Assert.Null(TotpCode.Match(Rfc6238Secret, CodeAt(now + 2 * stepLength), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("２８７０８２")] // full-width digits: not ASCII
    public void Match_MalformedCode_IsRefused(string? code)
        => Assert.Null(TotpCode.Match(Rfc6238Secret, code, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Fact]
    public void Secret_InTheUri_IsUnpaddedBase32_AndParsesBack()
    {
        var secret = Encoding.ASCII.GetBytes("foob"); // 4 bytes: base32 would pad with '='

        var text = TotpCode.SecretForUri(secret);

        Assert.Equal("MZXW6YQ", text);
        Assert.Equal(secret, TotpCode.ParseSecret(text));
        Assert.Equal(secret, TotpCode.ParseSecret(" mzxw6yq= "));
    }

    [Fact]
    public void Enrolment_Uri_CarriesTheSecretAndTheAppSettings()
    {
        var enrolment = TotpEnrolment.Create("GrpcDvc", "can.bo.01");
        var uri = new Uri(enrolment.OtpAuthUri);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal(enrolment.Secret, Base32Encoding.ToBytes(query["secret"]!));
        Assert.Equal(TotpEnrolment.SecretBytes, enrolment.Secret.Length);
        Assert.Equal(("SHA1", "6", "30"), (query["algorithm"], query["digits"], query["period"]));
    }

    [Fact]
    public void Enrolment_Code_FromTheUriAsAnAppReadsIt_IsAccepted()
    {
        var enrolment = TotpEnrolment.Create("GrpcDvc", "can.bo.01");
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(enrolment.OtpAuthUri).Query);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var app = new Totp(Base32Encoding.ToBytes(query["secret"]!), int.Parse(query["period"]!, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(now.ToUnixTimeSeconds() / TotpCode.StepSeconds, TotpCode.Match(enrolment.Secret, app.ComputeTotp(now.UtcDateTime), now));
    }
}
