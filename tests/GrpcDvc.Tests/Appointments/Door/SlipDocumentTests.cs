using GrpcDvc.Server.Appointments.Door;
using UglyToad.PdfPig;

namespace GrpcDvc.Tests.Appointments.Door;

/// <summary>The slip's document alone: every Vietnamese letter with its marks comes back out of the PDF.</summary>
public sealed class SlipDocumentTests
{
    [Fact]
    public void Slip_EveryVietnameseLetterWithItsMarks_ReadsBackFromThePdf()
    {
        Assert.True(SlipFonts.EnsureInstalled(), "DejaVu Sans is not installed (Debian: fonts-dejavu-core).");
        const string letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÊỆÔỘƠỢƯỰ";

        var bytes = SlipDocument.Build(new SlipContent("Công an phường Thử", "Trạm Thử", "Số 1 phố Thử", new DateOnly(2026, 12, 3), "buổi sáng",
            new TimeOnly(7, 30), new TimeOnly(11, 30), "X1-261203-0001", letters, "Nguyễn Văn Thử", "001090000001", "DVC1.x.y", DateTimeOffset.UnixEpoch));

        using var pdf = PdfDocument.Open(bytes);
        var text = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
        foreach (var word in letters.Split(' '))
        {
            Assert.Contains(word, text, StringComparison.Ordinal);
        }
    }
}
