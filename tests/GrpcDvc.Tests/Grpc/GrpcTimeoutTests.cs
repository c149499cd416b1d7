using GrpcDvc.Grpc.Wire;

namespace GrpcDvc.Tests.Grpc;

/// <summary>grpc-timeout per PROTOCOL-HTTP2.md: TimeoutValue (1 to 8 ASCII digits) then TimeoutUnit.</summary>
public sealed class GrpcTimeoutTests
{
    public static TheoryData<string, TimeSpan> EveryUnit => new()
    {
        { "2H", TimeSpan.FromHours(2) },
        { "3M", TimeSpan.FromMinutes(3) },
        { "4S", TimeSpan.FromSeconds(4) },
        { "250m", TimeSpan.FromMilliseconds(250) },
        { "1500u", TimeSpan.FromMicroseconds(1500) },
        { "700n", TimeSpan.FromTicks(7) },
        { "0m", TimeSpan.Zero },
        { "99999999S", TimeSpan.FromSeconds(99_999_999) },
        { "00000001m", TimeSpan.FromMilliseconds(1) },
    };

    [Theory]
    [MemberData(nameof(EveryUnit))]
    public void TryParse_EachUnit_GivesTheDuration(string header, TimeSpan expected)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expected, timeout);
    }

    [Fact]
    public void TryParse_LargestHourValue_DoesNotOverflow()
    {
        Assert.True(GrpcTimeout.TryParse("99999999H", out var timeout));
        Assert.Equal(TimeSpan.FromHours(99_999_999), timeout);
    }

    [Theory]
    [InlineData("123456789S")] // nine digits: the spec allows at most eight
    [InlineData("1000000000m")]
    public void TryParse_TooManyDigits_IsRejected(string header)
        => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData("10x")]
    [InlineData("10s")] // units are case-sensitive: 's' is not a unit, 'S' is
    [InlineData("10h")]
    [InlineData("10")] // no unit at all: the last digit would be read as one
    [InlineData("10 S")]
    public void TryParse_BadUnit_IsRejected(string header)
        => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData("1.5S")]
    [InlineData(" 1S")]
    public void TryParse_NotDigitsThenUnit_IsRejected(string? header)
        => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData(1)]
    [InlineData(999)]
    [InlineData(1_000_000)]
    [InlineData(123_456_789_012)]
    public void Format_ThenParse_NeverShortensTheTimeout(long ticks)
    {
        var timeout = TimeSpan.FromTicks(ticks);
        var header = GrpcTimeout.Format(timeout);

        Assert.InRange(header.Length, 2, 9);
        Assert.True(GrpcTimeout.TryParse(header, out var parsed));
        Assert.True(parsed >= timeout, $"{header} parsed to {parsed}, shorter than {timeout}");
    }
}
