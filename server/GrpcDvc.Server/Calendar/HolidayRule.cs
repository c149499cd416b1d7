namespace GrpcDvc.Server.Calendar;

/// <summary>
/// One line of the Labour Code's list of holidays (Bộ luật Lao động 2019, art. 112) as data: a day fixed
/// in the solar or the lunar calendar, how many days off, starting how many days before it. Tết is
/// lunar 1/1, 5 days from the day before; National Day is 2/9 plus one adjacent day (the day before,
/// as the government chose in 2025 and 2026). A rule can start or end in a given year, so a new
/// holiday (24/11 from 2026) is a line in the data file, not a code change.
/// </summary>
public sealed record HolidayRule(string Id, string NameVi, string NameEn, bool Lunar, int Month, int Day, int Days, int Offset, string Source)
{
    public int? FromYear { get; init; }

    public int? UntilYear { get; init; }

    public bool AppliesTo(int year) => (FromYear is null || year >= FromYear) && (UntilYear is null || year <= UntilYear);
}
