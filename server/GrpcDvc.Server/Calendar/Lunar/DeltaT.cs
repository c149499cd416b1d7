namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>
/// ΔT = TT − UT in seconds: how far the uniform time of the ephemerides runs ahead of clock time
/// (the Earth's rotation is slowing). Meeus' new-moon series gives Terrestrial (Dynamical) Time;
/// the calendar needs the civil day, so ΔT is taken off. Polynomials of Espenak and Meeus (NASA's
/// Five Millennium Canon of Solar Eclipses) for 1900–2200; ΔT is about a minute over our range,
/// so a few seconds of error in it moves a new moon across midnight only when it already sits
/// within seconds of midnight.
/// </summary>
public static class DeltaT
{
    public static double Seconds(double year)
    {
        double t;
        switch (year)
        {
            case < 1920:
                t = year - 1900;
                return -2.79 + (1.494119 * t) - (0.0598939 * t * t) + (0.0061966 * t * t * t) - (0.000197 * t * t * t * t);
            case < 1941:
                t = year - 1920;
                return 21.20 + (0.84493 * t) - (0.076100 * t * t) + (0.0020936 * t * t * t);
            case < 1961:
                t = year - 1950;
                return 29.07 + (0.407 * t) - (t * t / 233) + (t * t * t / 2547);
            case < 1986:
                t = year - 1975;
                return 45.45 + (1.067 * t) - (t * t / 260) - (t * t * t / 718);
            case < 2005:
                t = year - 2000;
                return 63.86 + (0.3345 * t) - (0.060374 * t * t) + (0.0017275 * Math.Pow(t, 3)) + (0.000651814 * Math.Pow(t, 4)) + (0.00002373599 * Math.Pow(t, 5));
            case < 2050:
                t = year - 2000;
                return 62.92 + (0.32217 * t) + (0.005589 * t * t);
            case < 2150:
                var u = (year - 1820) / 100;
                return -20 + (32 * u * u) - (0.5628 * (2150 - year));
            default:
                var v = (year - 1820) / 100;
                return -20 + (32 * v * v);
        }
    }

    /// <summary>ΔT in days at a Julian date (the decimal year is close enough for a slowly varying quantity).</summary>
    public static double Days(double julianDate) => Seconds(2000 + ((julianDate - 2451545.0) / 365.25)) / 86400;
}
