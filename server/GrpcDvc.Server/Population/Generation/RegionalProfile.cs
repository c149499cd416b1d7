namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Rough ethnic and religious make-up of a group of provinces, for the generator only. The shares
/// are approximations written from public knowledge (the 2019 census puts the Kinh at about 85%
/// nationally, with minorities concentrated in the northern mountains, the Central Highlands and,
/// for the Khmer, the Mekong delta; about 86% declare no religion). They are not data about any province.
/// </summary>
internal sealed record RegionalProfile(WeightedTable<Ethnicity> Ethnicities, WeightedTable<string> Religions, bool Southern)
{
    private const string None = "Không";

    public static readonly RegionalProfile NorthernLowland = new(
        new([(Ethnicity.Kinh, 98.5), (Ethnicity.Muong, 0.7), (Ethnicity.Tay, 0.4), (Ethnicity.Hoa, 0.4)]),
        new([(None, 88), ("Công giáo", 6.5), ("Phật giáo", 5), ("Tin Lành", 0.5)]), Southern: false);

    public static readonly RegionalProfile NorthernHighlands = new(
        new([(Ethnicity.Kinh, 35), (Ethnicity.Tay, 15), (Ethnicity.Thai, 14), (Ethnicity.Hmong, 14),
            (Ethnicity.Muong, 8), (Ethnicity.Nung, 7), (Ethnicity.Dao, 7)]),
        new([(None, 90), ("Tin Lành", 5), ("Công giáo", 3), ("Phật giáo", 2)]), Southern: false);

    public static readonly RegionalProfile NorthCentral = new(
        new([(Ethnicity.Kinh, 86), (Ethnicity.Thai, 7), (Ethnicity.Muong, 6), (Ethnicity.Hmong, 1)]),
        new([(None, 88), ("Công giáo", 8), ("Phật giáo", 4)]), Southern: false);

    public static readonly RegionalProfile CentralCoast = new(
        new([(Ethnicity.Kinh, 98), (Ethnicity.Hoa, 1), (Ethnicity.Muong, 1)]),
        new([(None, 82), ("Phật giáo", 10), ("Công giáo", 6), ("Tin Lành", 1), ("Cao Đài", 1)]), Southern: true);

    public static readonly RegionalProfile CentralHighlands = new(
        new([(Ethnicity.Kinh, 66), (Ethnicity.EDe, 12), (Ethnicity.GiaRai, 14), (Ethnicity.Tay, 3), (Ethnicity.Nung, 3), (Ethnicity.Hmong, 2)]),
        new([(None, 68), ("Tin Lành", 14), ("Công giáo", 12), ("Phật giáo", 6)]), Southern: true);

    public static readonly RegionalProfile SouthEast = new(
        new([(Ethnicity.Kinh, 94), (Ethnicity.Hoa, 4.5), (Ethnicity.Khmer, 1), (Ethnicity.Tay, 0.5)]),
        new([(None, 76), ("Phật giáo", 10), ("Công giáo", 10), ("Cao Đài", 2), ("Tin Lành", 1.5), ("Hòa Hảo", 0.5)]), Southern: true);

    public static readonly RegionalProfile Mekong = new(
        new([(Ethnicity.Kinh, 92), (Ethnicity.Khmer, 6), (Ethnicity.Hoa, 2)]),
        new([(None, 78), ("Phật giáo", 10), ("Hòa Hảo", 6), ("Công giáo", 3), ("Cao Đài", 2.5), ("Tin Lành", 0.5)]), Southern: true);

    public static readonly RegionalProfile MekongKhmer = new(
        new([(Ethnicity.Kinh, 78), (Ethnicity.Khmer, 19), (Ethnicity.Hoa, 3)]),
        new([(None, 70), ("Phật giáo", 20), ("Hòa Hảo", 6), ("Công giáo", 2), ("Cao Đài", 2)]), Southern: true);

    /// <summary>Religion follows ethnicity more than place for some groups.</summary>
    public static readonly WeightedTable<string> KhmerReligions = new([("Phật giáo", 90), (None, 10)]);

    public static readonly WeightedTable<string> HighlandReligions = new([(None, 55), ("Tin Lành", 30), ("Công giáo", 15)]);

    /// <summary>The profile of a pre-2025 province, by its ID-number code.</summary>
    public static RegionalProfile For(string idNumberCode) => idNumberCode switch
    {
        "002" or "004" or "006" or "008" or "010" or "011" or "012" or "014" or "015" or "017" or "020" => NorthernHighlands,
        "038" or "040" or "042" => NorthCentral,
        "062" or "064" or "066" or "067" or "068" => CentralHighlands,
        "084" or "089" or "091" or "094" or "095" => MekongKhmer,
        "070" or "072" or "074" or "075" or "077" or "079" => SouthEast,
        "080" or "082" or "083" or "086" or "087" or "092" or "093" or "096" => Mekong,
        _ when string.CompareOrdinal(idNumberCode, "044") >= 0 => CentralCoast,
        _ => NorthernLowland,
    };
}
