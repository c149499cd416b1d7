using System.Globalization;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Tests.Hardening;

/// <summary>
/// Well-formed requests of any message type, built from its descriptor alone (so a new rpc gets
/// seeds with no code here): every field set, with values that look like the domain's where the
/// field's name says what it holds (an ID number, a phone, a purpose), so mutations of a seed reach
/// the checks deep in a handler rather than stopping at the first missing field.
/// </summary>
internal static class SeedMessages
{
    private const int MaxDepth = 4;

    /// <summary>Citizens of the demo population (in and out of Hà Nội's scope) and the test caller's own number.</summary>
    private static readonly string[] IdNumbers = ["001096977891", "001302085834", "036050912204", Access.TestCallers.CitizenIdNumber];

    private static readonly string[] CitizenFieldNames = ["full_name", "birth_date", "gender", "permanent_residence", "phone"];

    public static byte[] Build(MessageDescriptor type, Random random) => Build(type, random, 0);

    private static byte[] Build(MessageDescriptor type, Random random, int depth)
    {
        if (depth > MaxDepth)
        {
            return [];
        }

        return Wire.Write(o =>
        {
            foreach (var field in type.Fields.InFieldNumberOrder())
            {
                // A oneof carries one of its members at a time.
                if (field.RealContainingOneof is { } oneof && oneof.Fields[random.Next(oneof.Fields.Count)] != field)
                {
                    continue;
                }

                var count = field.IsRepeated ? random.Next(1, 3) : 1;
                for (var i = 0; i < count; i++)
                {
                    WriteValue(o, field, random, depth);
                }
            }
        });
    }

    private static void WriteValue(WireWriter o, FieldDescriptor field, Random random, int depth)
    {
        var number = field.FieldNumber;
        switch (field.FieldType)
        {
            case FieldType.String:
                o.Tag(number, Wire.LengthDelimited);
                o.String(StringFor(field, random));
                break;
            case FieldType.Bytes:
                o.Tag(number, Wire.LengthDelimited);
                o.LengthDelimited(Wire.RandomBytes(random, 8));
                break;
            case FieldType.Message:
                o.Tag(number, Wire.LengthDelimited);
                o.LengthDelimited(field.MessageType.FullName == "google.protobuf.Timestamp" ? Timestamp(random) : Build(field.MessageType, random, depth + 1));
                break;
            case FieldType.Enum:
                var values = field.EnumType.Values.Where(v => v.Number != 0).ToList();
                o.Tag(number, 0);
                o.Varint((ulong)(values.Count == 0 ? 0 : values[random.Next(values.Count)].Number));
                break;
            case FieldType.Bool:
                o.Tag(number, 0);
                o.Varint(1);
                break;
            case FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64:
                o.Tag(number, 1);
                o.Fixed64(field.FieldType == FieldType.Double ? (ulong)BitConverter.DoubleToInt64Bits(1.5) : 7);
                break;
            case FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32:
                o.Tag(number, 5);
                o.Fixed32(field.FieldType == FieldType.Float ? BitConverter.SingleToUInt32Bits(1.5f) : 7);
                break;
            case FieldType.Group:
                break;
            default:
                o.Tag(number, 0);
                o.Varint((ulong)IntegerFor(field, random));
                break;
        }
    }

    /// <summary>A valid point in time (this year), whatever the field is called.</summary>
    private static byte[] Timestamp(Random random) => Wire.Varint(1, (ulong)(1_767_225_600 + random.Next(0, 30_000_000)));

    private static long IntegerFor(FieldDescriptor field, Random random) => field.Name switch
    {
        "page_size" => random.Next(1, 20),
        "birth_year" => random.Next(1950, 2010),
        "assurance_level" => random.Next(1, 3),
        "year" => random.Next(1950, 2010),
        "month" => random.Next(1, 13),
        "day" => random.Next(1, 29),
        _ => random.Next(1, 100),
    };

    private static string StringFor(FieldDescriptor field, Random random)
    {
        var name = field.Name;
        return name switch
        {
            // Uploads: a type the server accepts and a well-formed hash, so a seed's header passes and its chunks are read.
            "content_type" => "application/pdf",
            "sha256" => Convert.ToHexStringLower(Wire.RandomBytes(random, 32)),
            _ when name.Contains("id_number", StringComparison.Ordinal) => IdNumbers[random.Next(IdNumbers.Length)],
            _ when name.Contains("token", StringComparison.Ordinal) || name == "assertion" => "",
            _ when name.EndsWith("_id", StringComparison.Ordinal) => new Guid(Wire.RandomBytes(random, 16)).ToString("D"),
            _ when name.Contains("phone", StringComparison.Ordinal) => "0912345678",
            _ when name.Contains("birth_date", StringComparison.Ordinal) => "1996-09-20",
            _ when name.Contains("password", StringComparison.Ordinal) => "demo-dvc-2026",
            _ when name.Contains("reference", StringComparison.Ordinal) => "HS-2026-000123",
            _ when name == "legal_basis" => "Luật Cư trú 2020, Điều 37",
            _ when name == "fields" => CitizenFieldNames[random.Next(CitizenFieldNames.Length)],
            _ when name is "username" or "account" => "demo.processing",
            _ when name is "otp" or "totp_code" => random.Next(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture),
            _ when name.Contains("name", StringComparison.Ordinal) => "Nguyễn Anh Anh",
            _ when name.Contains("agency", StringComparison.Ordinal) || name.Contains("place", StringComparison.Ordinal)
                || name.Contains("commune", StringComparison.Ordinal) => "P34-01",
            _ when name == "code" => "BCA-L4-03",
            // grpc.health.v1 and grpc.reflection: a service we serve, a symbol and a file we have.
            _ when name is "service" or "containing_symbol" or "file_containing_symbol" => "dvc.catalog.v1.CatalogService",
            _ when name.Contains("file", StringComparison.Ordinal) => "dvc/catalog/v1/catalog.proto",
            _ => "dang ky tam tru",
        };
    }
}
