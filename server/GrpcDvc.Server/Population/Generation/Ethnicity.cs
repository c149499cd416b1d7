namespace GrpcDvc.Server.Population.Generation;

/// <summary>How an ethnic group's names are built, which decides the generator's name tables.</summary>
internal enum NameStyle
{
    /// <summary>Surname + middle name + given name.</summary>
    Kinh,

    /// <summary>Surname + "A" (men) or "Thị" (women) + a short given name.</summary>
    Hmong,

    /// <summary>"Y" (men) or "H'" (women) + given name + clan name last.</summary>
    Highland,
}

/// <summary>An ethnic group as the generator uses it: its recorded name, surnames and naming style.</summary>
internal sealed record Ethnicity(string Name, NameStyle Style, WeightedTable<NamePart>? Surnames)
{
    public static readonly Ethnicity Kinh = new("Kinh", NameStyle.Kinh, null);
    public static readonly Ethnicity Tay = new("Tày", NameStyle.Kinh, VietnameseNames.TayNungSurnames);
    public static readonly Ethnicity Nung = new("Nùng", NameStyle.Kinh, VietnameseNames.TayNungSurnames);
    public static readonly Ethnicity Thai = new("Thái", NameStyle.Kinh, VietnameseNames.ThaiSurnames);
    public static readonly Ethnicity Muong = new("Mường", NameStyle.Kinh, VietnameseNames.MuongSurnames);
    public static readonly Ethnicity Dao = new("Dao", NameStyle.Kinh, VietnameseNames.DaoSurnames);
    public static readonly Ethnicity Khmer = new("Khmer", NameStyle.Kinh, VietnameseNames.KhmerSurnames);
    public static readonly Ethnicity Hoa = new("Hoa", NameStyle.Kinh, VietnameseNames.HoaSurnames);
    public static readonly Ethnicity Hmong = new("Mông", NameStyle.Hmong, VietnameseNames.HmongSurnames);
    public static readonly Ethnicity EDe = new("Ê Đê", NameStyle.Highland, VietnameseNames.HighlandClans);
    public static readonly Ethnicity GiaRai = new("Gia Rai", NameStyle.Highland, VietnameseNames.HighlandClans);
}
