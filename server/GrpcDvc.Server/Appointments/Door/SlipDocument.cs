using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Pdf;
using QRCoder;

namespace GrpcDvc.Server.Appointments.Door;

/// <summary>What the appointment slip says.</summary>
public sealed record SlipContent(
    string UnitName,
    string StationName,
    string Address,
    DateOnly Date,
    string SessionName,
    TimeOnly From,
    TimeOnly To,
    string DossierCode,
    string ProcedureName,
    string FullName,
    string IdNumber,
    string QrPayload,
    DateTimeOffset IssuedAtLocal);

/// <summary>
/// Phiếu hẹn (form CC02, the identity-card appointment slip) as a one-page A4 PDF: who comes, which dossier, to
/// which station, on which day and in which session, and the QR code the station scans at check-in. Text is drawn in
/// DejaVu Sans with Unicode encoding, so the PDF embeds the glyphs of every Vietnamese letter it uses and maps them
/// back to Unicode (copy and search work); the dossier code is also in the document's subject.
/// </summary>
public static class SlipDocument
{
    private const double Margin = 56;

    public static byte[] Build(SlipContent slip)
    {
        var document = new PdfDocument();
        document.Info.Title = $"Phiếu hẹn {slip.DossierCode}";
        document.Info.Subject = slip.DossierCode;
        document.Info.Creator = "GrpcDvc";
        var page = document.AddPage();
        var width = page.Width.Point;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
            var small = new XFont(SlipFonts.Family, 10, XFontStyleEx.Regular, unicode);
            var body = new XFont(SlipFonts.Family, 12, XFontStyleEx.Regular, unicode);
            var strong = new XFont(SlipFonts.Family, 12, XFontStyleEx.Bold, unicode);
            var title = new XFont(SlipFonts.Family, 16, XFontStyleEx.Bold, unicode);
            var y = Margin;

            void Line(string text, XFont font, XStringFormat format, double height)
            {
                gfx.DrawString(text, font, XBrushes.Black, new XRect(Margin, y, width - 2 * Margin, height), format);
                y += height;
            }

            // Procedure names and addresses run long: wrapped within the margins, room for three lines.
            void Wrapped(string text, XFont font, double height)
            {
                new XTextFormatter(gfx).DrawString(text, font, XBrushes.Black, new XRect(Margin, y, width - 2 * Margin, height), XStringFormats.TopLeft);
                y += height;
            }

            Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", strong, XStringFormats.TopCenter, 16);
            Line("Độc lập - Tự do - Hạnh phúc", strong, XStringFormats.TopCenter, 24);
            Line(slip.UnitName, body, XStringFormats.TopLeft, 18);
            Line("Mẫu CC02", small, XStringFormats.TopLeft, 28);
            Line("PHIẾU HẸN", title, XStringFormats.TopCenter, 22);
            Line("thu nhận hồ sơ căn cước", body, XStringFormats.TopCenter, 30);

            Line($"Họ và tên: {slip.FullName}", strong, XStringFormats.TopLeft, 20);
            Line($"Số định danh cá nhân: {slip.IdNumber}", body, XStringFormats.TopLeft, 20);
            Line($"Mã hồ sơ: {slip.DossierCode}", strong, XStringFormats.TopLeft, 20);
            Wrapped($"Thủ tục: {slip.ProcedureName}", body, 54);
            Line($"Nơi thu nhận: {slip.StationName}", strong, XStringFormats.TopLeft, 20);
            Wrapped($"Địa chỉ: {slip.Address}", body, 38);
            Line($"Ngày hẹn: {slip.Date:dd/MM/yyyy}, {slip.SessionName} ({slip.From:HH\\:mm} - {slip.To:HH\\:mm})", strong, XStringFormats.TopLeft, 30);

            var qrSize = 170.0;
            using (var png = new MemoryStream(QrPng(slip.QrPayload)))
            using (var image = XImage.FromStream(png))
            {
                gfx.DrawImage(image, (width - qrSize) / 2, y, qrSize, qrSize);
            }

            y += qrSize + 10;
            Line("Xuất trình mã QR này hoặc đọc mã hồ sơ cho cán bộ khi đến trạm.", small, XStringFormats.TopCenter, 16);
            Line("Mang theo giấy tờ tùy thân; đến đúng buổi hẹn. Lỡ hẹn: đặt lịch lại trên Cổng dịch vụ công.", small, XStringFormats.TopCenter, 24);
            Line($"Cấp lúc {slip.IssuedAtLocal:HH\\:mm dd/MM/yyyy}", small, XStringFormats.TopRight, 16);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    private static readonly byte[] Black = [0, 0, 0, 255];
    private static readonly byte[] White = [255, 255, 255, 255];

    /// <summary>
    /// The payload as a PNG QR code (error correction M: a slip folded or printed dim still scans). With colours given,
    /// QRCoder writes a palette PNG, which PDFsharp's own importer reads; its default 1-bit greyscale PNG it refuses.
    /// </summary>
    public static byte[] QrPng(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8, Black, White, drawQuietZones: true);
    }
}
