using System.Globalization;

namespace GrpcDvc.Grpc.Wire;

/// <summary>
/// The grpc-timeout header (PROTOCOL-HTTP2.md): at most 8 ASCII digits and a unit —
/// H hours, M minutes, S seconds, m milliseconds, u microseconds, n nanoseconds.
/// </summary>
public static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => null,
        };
        if (ticks is null)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>The shortest exact-or-rounded-up header value for <paramref name="timeout"/>.</summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        var ticks = timeout.Ticks;
        var micros = (ticks + 9) / 10;
        if (micros <= MaxValue)
        {
            return $"{micros.ToString(CultureInfo.InvariantCulture)}u";
        }

        var millis = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        if (millis <= MaxValue)
        {
            return $"{millis.ToString(CultureInfo.InvariantCulture)}m";
        }

        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        if (seconds <= MaxValue)
        {
            return $"{seconds.ToString(CultureInfo.InvariantCulture)}S";
        }

        var minutes = Math.Min(MaxValue, (ticks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute);
        return $"{minutes.ToString(CultureInfo.InvariantCulture)}M";
    }
}
