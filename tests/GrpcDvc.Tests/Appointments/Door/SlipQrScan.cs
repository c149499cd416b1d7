using UglyToad.PdfPig.Content;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace GrpcDvc.Tests.Appointments.Door;

/// <summary>Reads the QR code of an image in a PDF with ZXing, as a station's scanner would read the printed slip.</summary>
internal static class SlipQrScan
{
    public static string? Decode(IPdfImage image)
    {
        var (width, height) = (image.WidthInSamples, image.HeightInSamples);
        if (!image.TryGetBytesAsMemory(out var memory))
        {
            memory = image.RawMemory.ToArray();
        }

        var samples = memory.Span;
        // PdfPig hands the samples as the image stores them (1-bit palette indices packed in rows, or 8-bit, or RGB);
        // whatever the form, the quiet zone's colour is light and anything else is dark.
        Func<int, int, int> sample;
        if (samples.Length >= width * height * 3)
        {
            var copy = samples.ToArray();
            sample = (x, y) => copy[(y * width + x) * 3];
        }
        else if (samples.Length >= width * height)
        {
            var copy = samples.ToArray();
            sample = (x, y) => copy[y * width + x];
        }
        else
        {
            var copy = samples.ToArray();
            var stride = (width + 7) / 8;
            sample = (x, y) => (copy[y * stride + x / 8] >> (7 - x % 8)) & 1;
        }

        var light = sample(0, 0);
        var luminance = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                luminance[y * width + x] = sample(x, y) == light ? (byte)255 : (byte)0;
            }
        }

        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
        return new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true })?.Text;
    }
}
