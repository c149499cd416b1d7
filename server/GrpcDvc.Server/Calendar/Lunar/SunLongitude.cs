namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>
/// The sun's apparent ecliptic longitude, by Meeus, Astronomical Algorithms, chapter 25 ("low
/// accuracy", about 0.01°, i.e. a quarter of an hour of the sun's motion). The calendar only asks
/// in which 30° sector the sun stands at the start of a day: the major solar terms (trung khí) are
/// the multiples of 30°, the winter solstice is 270°.
/// </summary>
public static class SunLongitude
{
    /// <summary>Apparent longitude in degrees, [0, 360), at a Julian date in UT.</summary>
    public static double Degrees(double julianDate)
    {
        var jde = julianDate + DeltaT.Days(julianDate);
        var t = (jde - 2451545.0) / 36525;
        var t2 = t * t;
        var meanLongitude = 280.46646 + (36000.76983 * t) + (0.0003032 * t2);
        var meanAnomaly = NewMoon.Radians(357.52911 + (35999.05029 * t) - (0.0001537 * t2));
        var centre = ((1.914602 - (0.004817 * t) - (0.000014 * t2)) * Math.Sin(meanAnomaly))
                     + ((0.019993 - (0.000101 * t)) * Math.Sin(2 * meanAnomaly))
                     + (0.000289 * Math.Sin(3 * meanAnomaly));
        // Nutation and aberration, in the chapter's short form.
        var omega = NewMoon.Radians(125.04 - (1934.136 * t));
        var apparent = meanLongitude + centre - 0.00569 - (0.00478 * Math.Sin(omega));
        return ((apparent % 360) + 360) % 360;
    }

    /// <summary>Which major-term sector (0 = 0°…30°, 9 = 270°…300°, from the winter solstice) the sun is in.</summary>
    public static int Sector(double julianDate) => (int)(Degrees(julianDate) / 30);
}
