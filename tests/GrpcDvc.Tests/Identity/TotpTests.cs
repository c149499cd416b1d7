using System.Text;
using GrpcDvc.Server.Identity;

namespace GrpcDvc.Tests.Identity;

/// <summary>RFC 6238 appendix B (SHA-1 rows) and RFC 4648 section 10, verbatim.</summary>
public sealed class TotpTests
{
    private static readonly byte[] Rfc6238Secret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Compute_Rfc6238Sha1Vectors_MatchTheRfc(long unixSeconds, string expected)
    {
        var step = Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

        Assert.Equal(expected, Totp.Compute(Rfc6238Secret, step, digits: 8));
    }

    [Fact]
    public void Compute_SixDigits_IsTheLastSixOfTheEightDigitCode()
        => Assert.Equal("287082", Totp.Compute(Rfc6238Secret, Totp.StepAt(DateTimeOffset.FromUnixTimeSeconds(59))));

    [Fact]
    public void Match_CodeOfOneStepEitherSide_IsAccepted_TwoStepsAway_IsNot()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var step = Totp.StepAt(now);

        Assert.Equal(step, Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step), now));
        Assert.Equal(step - 1, Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step - 1), now));
        Assert.Equal(step + 1, Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step + 1), now));
        Assert.Null(Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step - 2), now));
        Assert.Null(Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step + 2), now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Match_MalformedCode_IsRefused(string? code)
        => Assert.Null(Totp.Match(Rfc6238Secret, code, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_Rfc4648Vectors_EncodeAndDecode(string text, string base32)
    {
        Assert.Equal(base32, Base32.Encode(Encoding.ASCII.GetBytes(text)));
        Assert.Equal(text, Encoding.ASCII.GetString(Base32.Decode(base32)));
    }

    [Fact]
    public void Enrolment_Uri_CarriesTheSecretAndTheAppSettings()
    {
        var enrolment = TotpEnrolment.Create("GrpcDvc", "can.bo.01");
        var uri = new Uri(enrolment.OtpAuthUri);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal(enrolment.Secret, Base32.Decode(query["secret"]!));
        Assert.Equal(TotpEnrolment.SecretBytes, enrolment.Secret.Length);
        Assert.Equal(("SHA1", "6", "30"), (query["algorithm"], query["digits"], query["period"]));
    }
}
