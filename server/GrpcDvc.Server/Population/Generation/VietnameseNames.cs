namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Name frequencies for the generator, written from public knowledge of Vietnamese naming:
/// about 38% of people are Nguyễn; Hoàng/Vũ are the northern forms of the central and southern
/// Huỳnh/Võ; the middle names Văn and Thị are less common in younger generations. The weights
/// are rough shares, not census figures.
/// </summary>
internal static class VietnameseNames
{
    /// <summary>Kinh surnames in the north and north-central provinces (ID codes up to 046).</summary>
    public static readonly WeightedTable<NamePart> NorthernSurnames = NamePart.Table(
        ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.6), ("Huỳnh", 0.5),
        ("Phan", 4.5), ("Vũ", 3.4), ("Võ", 0.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
        ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.9), ("Trịnh", 0.7), ("Đào", 0.7), ("Mai", 0.5),
        ("Đoàn", 0.6), ("Lương", 0.5), ("Cao", 0.5), ("Hà", 0.5), ("Tạ", 0.3), ("Lưu", 0.3), ("Chu", 0.3),
        ("Phùng", 0.3), ("Kiều", 0.2), ("Khuất", 0.1), ("Nghiêm", 0.1), ("Lại", 0.2), ("Triệu", 0.2), ("Trương", 0.5));

    /// <summary>Kinh surnames in central and southern provinces (ID codes from 048).</summary>
    public static readonly WeightedTable<NamePart> SouthernSurnames = NamePart.Table(
        ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Huỳnh", 4.0), ("Hoàng", 1.1),
        ("Phan", 4.5), ("Võ", 3.4), ("Vũ", 0.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.5),
        ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.6), ("Trương", 0.9), ("Lâm", 0.6), ("Đinh", 0.5), ("Mai", 0.5),
        ("Đoàn", 0.6), ("Cao", 0.5), ("Châu", 0.4), ("Tô", 0.3), ("Thái", 0.3), ("Lưu", 0.3), ("Quách", 0.2),
        ("Tăng", 0.2), ("La", 0.2), ("Lương", 0.4), ("Từ", 0.1), ("Văn", 0.1));

    public static readonly WeightedTable<NamePart> TayNungSurnames = NamePart.Table(
        ("Nông", 20), ("Hoàng", 18), ("Lương", 10), ("Vi", 8), ("Hà", 8), ("Lục", 5), ("Lăng", 4), ("Ma", 4),
        ("Đàm", 4), ("Triệu", 4), ("Nguyễn", 10), ("Bế", 5));

    public static readonly WeightedTable<NamePart> ThaiSurnames = NamePart.Table(
        ("Lò", 22), ("Cầm", 12), ("Quàng", 12), ("Lường", 10), ("Vi", 10), ("Hà", 10), ("Lê", 6), ("Điêu", 6), ("Tòng", 6), ("Mè", 6));

    public static readonly WeightedTable<NamePart> MuongSurnames = NamePart.Table(
        ("Bùi", 35), ("Đinh", 25), ("Quách", 15), ("Hà", 10), ("Xa", 5), ("Nguyễn", 10));

    public static readonly WeightedTable<NamePart> HmongSurnames = NamePart.Table(
        ("Giàng", 20), ("Vàng", 18), ("Sùng", 15), ("Thào", 15), ("Lý", 12), ("Hầu", 8), ("Mùa", 6), ("Ly", 6));

    public static readonly WeightedTable<NamePart> DaoSurnames = NamePart.Table(
        ("Triệu", 35), ("Bàn", 25), ("Đặng", 20), ("Lý", 10), ("Phùng", 10));

    public static readonly WeightedTable<NamePart> KhmerSurnames = NamePart.Table(
        ("Thạch", 30), ("Sơn", 20), ("Kim", 15), ("Danh", 15), ("Lâm", 8), ("Châu", 6), ("Huỳnh", 6));

    public static readonly WeightedTable<NamePart> HoaSurnames = NamePart.Table(
        ("Lâm", 18), ("Lý", 16), ("Trương", 14), ("Quách", 10), ("Lưu", 10), ("Mạch", 6), ("Tăng", 8), ("Dương", 8), ("Hứa", 10));

    /// <summary>Clan names of the Ê Đê and Gia Rai, which come last in a name ("Y Sơn Niê").</summary>
    public static readonly WeightedTable<NamePart> HighlandClans = NamePart.Table(
        ("Niê", 18), ("Êban", 12), ("Ksor", 18), ("Rơ Châm", 10), ("Siu", 12), ("Rơ Mah", 10), ("Kpă", 8), ("Byă", 6), ("Mlô", 6));

    public static readonly WeightedTable<NamePart> MaleMiddleOlder = NamePart.Table(
        ("Văn", 60), ("Đức", 6), ("Hữu", 6), ("Công", 5), ("Đình", 5), ("Quang", 4), ("Xuân", 3), ("Minh", 3), ("Ngọc", 2), ("Thanh", 3), ("Trọng", 3));

    public static readonly WeightedTable<NamePart> MaleMiddleYounger = NamePart.Table(
        ("Văn", 22), ("Đức", 9), ("Minh", 12), ("Quốc", 7), ("Hữu", 5), ("Công", 5), ("Thanh", 5), ("Tuấn", 4), ("Gia", 7),
        ("Hoàng", 5), ("Anh", 4), ("Bảo", 5), ("Quang", 5), ("Trọng", 3), ("Đăng", 3), ("Nhật", 3));

    public static readonly WeightedTable<NamePart> FemaleMiddleOlder = NamePart.Table(
        ("Thị", 82), ("Ngọc", 5), ("Thu", 3), ("Thanh", 3), ("Kim", 3), ("Hồng", 2), ("Mỹ", 2));

    public static readonly WeightedTable<NamePart> FemaleMiddleYounger = NamePart.Table(
        ("Thị", 28), ("Ngọc", 12), ("Thu", 7), ("Thanh", 6), ("Phương", 6), ("Minh", 6), ("Khánh", 5), ("Bảo", 5),
        ("Kim", 4), ("Mỹ", 4), ("Hồng", 3), ("Diệu", 3), ("Thùy", 4), ("Hoài", 3), ("Hà", 2), ("Gia", 3));

    public static readonly WeightedTable<NamePart> MaleGiven = NamePart.Table(
        ("Anh", 6), ("Hùng", 5), ("Dũng", 5), ("Minh", 6), ("Tuấn", 5), ("Hải", 4), ("Nam", 4), ("Long", 4),
        ("Thành", 4), ("Sơn", 4), ("Hưng", 3), ("Cường", 3), ("Quang", 3), ("Trung", 3), ("Đức", 3), ("Huy", 4),
        ("Hoàng", 3), ("Tùng", 3), ("Thắng", 3), ("Phong", 2), ("Bình", 3), ("Khánh", 2), ("Việt", 2), ("Vinh", 2),
        ("Toàn", 2), ("Tiến", 2), ("Kiên", 2), ("Hiếu", 2), ("Lộc", 2), ("Phúc", 2), ("Tài", 2), ("Tâm", 2),
        ("Thịnh", 2), ("Trí", 1.5), ("Phát", 1.5), ("Khoa", 1.5), ("Khang", 1.5), ("Bảo", 2), ("Đạt", 2), ("Duy", 2),
        ("Quân", 2), ("Lâm", 1.5), ("Nghĩa", 1.5), ("Hậu", 1.5), ("Tú", 1.5), ("Thái", 1.5), ("Công", 1), ("Chiến", 1.5),
        ("Thanh", 1.5), ("Khôi", 1.5), ("Đăng", 1), ("An", 2), ("Nhân", 1.5), ("Thuận", 1), ("Hòa", 1.5), ("Sang", 1));

    public static readonly WeightedTable<NamePart> FemaleGiven = NamePart.Table(
        ("Linh", 5), ("Hương", 5), ("Lan", 4), ("Hoa", 4), ("Mai", 4), ("Trang", 5), ("Hà", 4), ("Thảo", 4),
        ("Hằng", 4), ("Ngọc", 3), ("Phương", 4), ("Hạnh", 3), ("Hiền", 3), ("Huyền", 3), ("Anh", 4), ("Nga", 3),
        ("Thu", 3), ("Thủy", 3), ("Yến", 3), ("Dung", 3), ("Loan", 2), ("Liên", 2), ("Hồng", 3), ("Nhung", 2),
        ("Oanh", 2), ("Quỳnh", 3), ("Trinh", 2), ("Tuyết", 2), ("Uyên", 2), ("Vân", 2), ("Vy", 3), ("Nhi", 3),
        ("Ngân", 2), ("Giang", 2), ("Chi", 2), ("Duyên", 2), ("My", 2), ("Hân", 2), ("Thư", 2), ("Xuân", 2),
        ("Hòa", 1.5), ("Huệ", 1.5), ("Lý", 1), ("Ánh", 1.5), ("Diệp", 1), ("Khánh", 1), ("An", 2), ("Tâm", 1.5), ("Trâm", 1.5));

    /// <summary>Short H'Mông given names; males often carry "A" before the name.</summary>
    public static readonly WeightedTable<NamePart> HmongMaleGiven = NamePart.Table(
        ("Páo", 5), ("Chứ", 4), ("Sính", 4), ("Dế", 3), ("Lử", 3), ("Tủa", 3), ("Chò", 3), ("Pó", 3), ("Vàng", 2), ("Mua", 3));

    public static readonly WeightedTable<NamePart> HmongFemaleGiven = NamePart.Table(
        ("Mỷ", 5), ("Dợ", 4), ("Sùng", 2), ("Chở", 3), ("Pà", 3), ("Xúa", 3), ("Mai", 3), ("Say", 3), ("Súa", 3));

    /// <summary>Ê Đê / Gia Rai given names; the name opens with "Y" for men and "H'" for women (Ê Đê custom).</summary>
    public static readonly WeightedTable<NamePart> HighlandMaleGiven = NamePart.Table(
        ("Sơn", 3), ("Ngông", 2), ("Bhin", 2), ("Moan", 2), ("Blin", 2), ("Thuột", 2), ("Kông", 2), ("Luôn", 2), ("Jôn", 2));

    public static readonly WeightedTable<NamePart> HighlandFemaleGiven = NamePart.Table(
        ("Hen", 3), ("Lan", 2), ("Yơn", 2), ("Bia", 2), ("Mai", 2), ("Nhi", 2), ("Ju", 2), ("Drah", 2), ("Blăk", 2));

    /// <summary>Other names (tên gọi khác) a few people carry: nicknames from childhood or a name from before a change.</summary>
    public static readonly WeightedTable<NamePart> OtherNames = NamePart.Table(
        ("Tý", 3), ("Tèo", 2), ("Bé", 3), ("Út", 3), ("Cu", 2), ("Hai", 2), ("Ba", 2), ("Tư", 2), ("Năm", 2), ("Bống", 1));

    public static readonly NamePart Y = NamePart.Of("Y");
    public static readonly NamePart HApostrophe = NamePart.Of("H'");
    public static readonly NamePart A = NamePart.Of("A");
    public static readonly NamePart Thi = NamePart.Of("Thị");
}
