using System.Collections.Frozen;

namespace GrpcDvc.Server.Population;

/// <summary>
/// The 3-digit codes that open a personal ID number: the province where the birth was registered
/// (Circular 07/2016/TT-BCA, annex 1; the 2025 merger did not change them). Births registered
/// abroad get a country code instead; no source here lists those, so they are unknown codes.
/// </summary>
public static class IdProvinceCodes
{
    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["001"] = "Hà Nội", ["002"] = "Hà Giang", ["004"] = "Cao Bằng", ["006"] = "Bắc Kạn",
        ["008"] = "Tuyên Quang", ["010"] = "Lào Cai", ["011"] = "Điện Biên", ["012"] = "Lai Châu",
        ["014"] = "Sơn La", ["015"] = "Yên Bái", ["017"] = "Hòa Bình", ["019"] = "Thái Nguyên",
        ["020"] = "Lạng Sơn", ["022"] = "Quảng Ninh", ["024"] = "Bắc Giang", ["025"] = "Phú Thọ",
        ["026"] = "Vĩnh Phúc", ["027"] = "Bắc Ninh", ["030"] = "Hải Dương", ["031"] = "Hải Phòng",
        ["033"] = "Hưng Yên", ["034"] = "Thái Bình", ["035"] = "Hà Nam", ["036"] = "Nam Định",
        ["037"] = "Ninh Bình", ["038"] = "Thanh Hóa", ["040"] = "Nghệ An", ["042"] = "Hà Tĩnh",
        ["044"] = "Quảng Bình", ["045"] = "Quảng Trị", ["046"] = "Thừa Thiên Huế", ["048"] = "Đà Nẵng",
        ["049"] = "Quảng Nam", ["051"] = "Quảng Ngãi", ["052"] = "Bình Định", ["054"] = "Phú Yên",
        ["056"] = "Khánh Hòa", ["058"] = "Ninh Thuận", ["060"] = "Bình Thuận", ["062"] = "Kon Tum",
        ["064"] = "Gia Lai", ["066"] = "Đắk Lắk", ["067"] = "Đắk Nông", ["068"] = "Lâm Đồng",
        ["070"] = "Bình Phước", ["072"] = "Tây Ninh", ["074"] = "Bình Dương", ["075"] = "Đồng Nai",
        ["077"] = "Bà Rịa–Vũng Tàu", ["079"] = "TP. Hồ Chí Minh", ["080"] = "Long An", ["082"] = "Tiền Giang",
        ["083"] = "Bến Tre", ["084"] = "Trà Vinh", ["086"] = "Vĩnh Long", ["087"] = "Đồng Tháp",
        ["089"] = "An Giang", ["091"] = "Kiên Giang", ["092"] = "Cần Thơ", ["093"] = "Hậu Giang",
        ["094"] = "Sóc Trăng", ["095"] = "Bạc Liêu", ["096"] = "Cà Mau",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>All 63 codes, ascending.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names.Keys.Order(StringComparer.Ordinal)];

    // A flat table by numeric value: the check runs for every generated number, and a
    // dictionary's alternate (span) lookup costs more than a generated person's other work.
    private static readonly bool[] Known = BuildKnown();

    public static bool IsKnown(ReadOnlySpan<char> code)
        => code.Length == 3 && char.IsAsciiDigit(code[0]) && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2])
            && Known[((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0')];

    private static bool[] BuildKnown()
    {
        var known = new bool[1000];
        foreach (var code in Names.Keys)
        {
            known[int.Parse(code, System.Globalization.CultureInfo.InvariantCulture)] = true;
        }

        return known;
    }

    /// <summary>The province's name as the circular gives it, or null for an unknown code.</summary>
    public static string? NameOf(string code) => Names.GetValueOrDefault(code);
}
