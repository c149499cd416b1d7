namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>
/// Instants of new moon (the moon in conjunction with the sun: "điểm Sóc"), by Jean Meeus,
/// Astronomical Algorithms (2nd ed.), chapter 49: a mean lunation corrected by the periodic terms
/// of the sun's and moon's anomalies and the moon's argument of latitude, plus fourteen small
/// planetary terms. Meeus gives the error as a few seconds over several centuries, far below what
/// decides a calendar day except when a new moon falls within a minute of midnight.
/// </summary>
public static class NewMoon
{
    /// <summary>Mean length of a lunation (synodic month) in days.</summary>
    public const double SynodicMonth = 29.530588861;

    /// <summary>The lunation number k of the new moon nearest to a Julian date (k = 0 is the new moon of 6 January 2000).</summary>
    public static int NearestLunation(double julianDate) => (int)Math.Round((julianDate - 2451550.09766) / SynodicMonth);

    /// <summary>The instant (Julian date, UT) of new moon number <paramref name="k"/>.</summary>
    public static double Instant(int k)
    {
        var tt = InstantTerrestrialTime(k);
        return tt - DeltaT.Days(tt);
    }

    /// <summary>The same in Terrestrial Time (Julian Ephemeris Day), as Meeus' formula gives it.</summary>
    public static double InstantTerrestrialTime(int k)
    {
        var t = k / 1236.85;
        var t2 = t * t;
        var t3 = t2 * t;
        var t4 = t3 * t;
        var mean = 2451550.09766 + (SynodicMonth * k) + (0.00015437 * t2) - (0.000000150 * t3) + (0.00000000073 * t4);

        // Eccentricity of the Earth's orbit, which scales the terms with the sun's anomaly.
        var e = 1 - (0.002516 * t) - (0.0000074 * t2);
        var m = Radians(2.5534 + (29.10535670 * k) - (0.0000014 * t2) - (0.00000011 * t3));
        var mp = Radians(201.5643 + (385.81693528 * k) + (0.0107582 * t2) + (0.00001238 * t3) - (0.000000058 * t4));
        var f = Radians(160.7108 + (390.67050284 * k) - (0.0016118 * t2) - (0.00000227 * t3) + (0.000000011 * t4));
        var omega = Radians(124.7746 - (1.56375588 * k) + (0.0020672 * t2) + (0.00000215 * t3));

        var periodic =
            (-0.40720 * Math.Sin(mp))
            + (0.17241 * e * Math.Sin(m))
            + (0.01608 * Math.Sin(2 * mp))
            + (0.01039 * Math.Sin(2 * f))
            + (0.00739 * e * Math.Sin(mp - m))
            - (0.00514 * e * Math.Sin(mp + m))
            + (0.00208 * e * e * Math.Sin(2 * m))
            - (0.00111 * Math.Sin(mp - (2 * f)))
            - (0.00057 * Math.Sin(mp + (2 * f)))
            + (0.00056 * e * Math.Sin((2 * mp) + m))
            - (0.00042 * Math.Sin(3 * mp))
            + (0.00042 * e * Math.Sin(m + (2 * f)))
            + (0.00038 * e * Math.Sin(m - (2 * f)))
            - (0.00024 * e * Math.Sin((2 * mp) - m))
            - (0.00017 * Math.Sin(omega))
            - (0.00007 * Math.Sin(mp + (2 * m)))
            + (0.00004 * Math.Sin((2 * mp) - (2 * f)))
            + (0.00004 * Math.Sin(3 * m))
            + (0.00003 * Math.Sin(mp + m - (2 * f)))
            + (0.00003 * Math.Sin((2 * mp) + (2 * f)))
            - (0.00003 * Math.Sin(mp + m + (2 * f)))
            + (0.00003 * Math.Sin(mp - m + (2 * f)))
            - (0.00002 * Math.Sin(mp - m - (2 * f)))
            - (0.00002 * Math.Sin((3 * mp) + m))
            + (0.00002 * Math.Sin(4 * mp));

        return mean + periodic + Planetary(k, t2);
    }

    /// <summary>Meeus' fourteen additional corrections (planetary arguments A1…A14), each a few minutes at most.</summary>
    private static double Planetary(int k, double t2)
    {
        ReadOnlySpan<(double Coefficient, double Start, double Rate)> terms =
        [
            (0.000325, 299.77, 0.107408),
            (0.000165, 251.88, 0.016321),
            (0.000164, 251.83, 26.651886),
            (0.000126, 349.42, 36.412478),
            (0.000110, 84.66, 18.206239),
            (0.000062, 141.74, 53.303771),
            (0.000060, 207.14, 2.453732),
            (0.000056, 154.84, 7.306860),
            (0.000047, 34.52, 27.261239),
            (0.000042, 207.19, 0.121824),
            (0.000040, 291.34, 1.844379),
            (0.000037, 161.72, 24.198154),
            (0.000035, 239.56, 25.513099),
            (0.000023, 331.55, 3.592518),
        ];
        var sum = 0.0;
        for (var i = 0; i < terms.Length; i++)
        {
            var argument = terms[i].Start + (terms[i].Rate * k);
            if (i == 0)
            {
                // A1 alone has a secular term.
                argument -= 0.009173 * t2;
            }

            sum += terms[i].Coefficient * Math.Sin(Radians(argument));
        }

        return sum;
    }

    internal static double Radians(double degrees) => degrees % 360 * Math.PI / 180;
}
