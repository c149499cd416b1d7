using System.Buffers.Binary;
using System.Text;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Tests.Hardening;

/// <summary>Appends protobuf wire-format pieces to a buffer, the invalid ones included.</summary>
internal sealed class WireWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }

    /// <summary>A tag of any wire type, 6 and 7 (which no protobuf version defines) included.</summary>
    public void Tag(int fieldNumber, int wireType) => Varint(((ulong)(uint)fieldNumber << 3) | (uint)wireType);

    public void Raw(ReadOnlySpan<byte> bytes) => _bytes.AddRange(bytes);

    public void LengthDelimited(ReadOnlySpan<byte> bytes)
    {
        Varint((ulong)bytes.Length);
        Raw(bytes);
    }

    public void String(string text) => LengthDelimited(Encoding.UTF8.GetBytes(text));

    public void Fixed32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Raw(bytes);
    }

    public void Fixed64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Raw(bytes);
    }
}

/// <summary>
/// Protobuf wire bytes written by hand, so a test can send what no generated serializer would:
/// wrong wire types, lengths that lie, tags no schema has.
/// </summary>
internal static class Wire
{
    public const int LengthDelimited = 2;
    public const int InvalidWireType7 = 7;

    public static byte[] Write(Action<WireWriter> write)
    {
        var writer = new WireWriter();
        write(writer);
        return writer.ToArray();
    }

    public static byte[] Concat(params IEnumerable<byte[]> parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Field(int fieldNumber, byte[] lengthDelimited) => Write(o =>
    {
        o.Tag(fieldNumber, LengthDelimited);
        o.LengthDelimited(lengthDelimited);
    });

    public static byte[] Varint(int fieldNumber, ulong value) => Write(o =>
    {
        o.Tag(fieldNumber, 0);
        o.Varint(value);
    });

    /// <summary>A field of the given wire type carrying a value of that type (or nothing, for groups and invalid types).</summary>
    public static byte[] AnyOfWireType(int fieldNumber, int wireType, Random random) => Write(o =>
    {
        o.Tag(fieldNumber, wireType);
        switch (wireType)
        {
            case 0:
                o.Varint((ulong)random.NextInt64());
                break;
            case 1:
                o.Fixed64((ulong)random.NextInt64());
                break;
            case 2:
                o.LengthDelimited(RandomBytes(random, 3));
                break;
            case 5:
                o.Fixed32((uint)random.Next());
                break;
            default:
                // Start group with no end, a lone end group, or an invalid type: nothing follows.
                break;
        }
    });

    /// <summary>The wire type a field's values travel as (packed repeated scalars are length-delimited).</summary>
    public static int WireTypeOf(FieldDescriptor field) => field.IsPacked ? LengthDelimited : field.FieldType switch
    {
        FieldType.String or FieldType.Bytes or FieldType.Message => LengthDelimited,
        FieldType.Group => 3,
        FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double => 1,
        FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float => 5,
        _ => 0,
    };

    /// <summary>A length-delimited field whose length prefix claims <paramref name="claimed"/> bytes, followed by only three.</summary>
    public static byte[] LyingLength(int fieldNumber, ulong claimed) => Write(o =>
    {
        o.Tag(fieldNumber, LengthDelimited);
        o.Varint(claimed);
        o.Raw("abc"u8);
    });

    /// <summary>A varint that does not end within ten bytes: no valid varint is that long.</summary>
    public static byte[] OverlongVarint(int fieldNumber) => Write(o =>
    {
        o.Tag(fieldNumber, 0);
        o.Raw([.. Enumerable.Repeat((byte)0xFF, 11), 0x01]);
    });

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>gRPC's length-prefixed message: a compressed flag, a big-endian length (true or not), the bytes.</summary>
    public static byte[] Frame(byte[] message, byte flag = 0, uint? claimedLength = null)
    {
        var body = new byte[5 + message.Length];
        body[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), claimedLength ?? (uint)message.Length);
        message.CopyTo(body, 5);
        return body;
    }
}
