using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Tests.Grpc;

public sealed class PercentEncodingTests
{
    // The interop suite's special status message (doc/interop-test-descriptions.md).
    private const string SpecialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

    [Fact]
    public void Encode_ControlCharactersUnicodeAndEmoji_AreUtf8PercentEscaped()
    {
        Assert.Equal(
            "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A",
            PercentEncoding.Encode(SpecialMessage));
    }

    [Fact]
    public void Encode_Vietnamese_IsEscapedAndRoundTrips()
    {
        const string message = "Hồ sơ không hợp lệ: thiếu tờ khai CT01 (đã nộp 0/1)";
        var encoded = PercentEncoding.Encode(message);

        Assert.All(encoded, c => Assert.InRange(c, (char)0x20, (char)0x7E));
        Assert.StartsWith("H%E1%BB%93 s%C6%A1", encoded, StringComparison.Ordinal);
        Assert.Equal(message, PercentEncoding.Decode(encoded));
    }

    [Theory]
    [InlineData("plain ascii stays as it is")]
    [InlineData("")]
    public void Encode_PrintableAscii_IsUnchanged(string message)
        => Assert.Equal(message, PercentEncoding.Encode(message));

    [Fact]
    public void Encode_PercentSign_IsEscapedSoDecodingIsUnambiguous()
    {
        Assert.Equal("100%25 done", PercentEncoding.Encode("100% done"));
        Assert.Equal("100% done", PercentEncoding.Decode("100%25 done"));
    }

    [Theory]
    [InlineData(SpecialMessage)]
    [InlineData("Thông báo số định danh cá nhân — Đã tiếp nhận 🎉")]
    [InlineData("%")]
    public void Decode_OfEncode_RoundTrips(string message)
        => Assert.Equal(message, PercentEncoding.Decode(PercentEncoding.Encode(message)));

    [Theory]
    [InlineData("bad %G1 escape", "bad %G1 escape")]
    [InlineData("truncated %4", "truncated %4")]
    [InlineData("trailing %", "trailing %")]
    public void Decode_MalformedEscape_IsKeptAsWritten(string wire, string expected)
        => Assert.Equal(expected, PercentEncoding.Decode(wire));
}
