namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// How long a residence confirmation (form CT07) is valid. Circular 55/2021/TT-BCA art. 17(3),
/// as amended by Circular 66/2023/TT-BCA, gives 30 days from issue; this figure comes from public
/// summaries of the amendment and was not checked against the gazette text.
/// </summary>
public static class ResidenceConfirmation
{
    public const int ValidDays = 30;

    /// <summary>The last valid day, counted in Vietnam's time zone (UTC+7) from the day of issue.</summary>
    public static DateOnly ValidUntil(DateTimeOffset issuedAt)
        => DateOnly.FromDateTime(issuedAt.ToOffset(TimeSpan.FromHours(7)).DateTime).AddDays(ValidDays);
}
