using System.IO.Compression;
using System.Text;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Tests.Hardening;

/// <summary>One hostile request: what it is (for the report), the HTTP/2 body, extra headers.</summary>
internal sealed record BadInput(string Kind, byte[] Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null)
{
    /// <summary>
    /// Kestrel answers request headers past its limits (Dvc:Http2:MaxRequestHeadersTotalSize, 100 headers) with a
    /// connection error (GOAWAY PROTOCOL_ERROR), ending every call on the connection: such inputs go on a connection of their own.
    /// </summary>
    public bool PastHeaderLimits => Kind.StartsWith("metadata-over-", StringComparison.Ordinal);

    /// <summary>The kinds whose message parses and names a bad page field: an authorized caller must get INVALID_ARGUMENT on that field.</summary>
    public const string BadPageToken = "page-token-garbage";
    public const string NegativePageSize = "page-size-negative";
}

/// <summary>
/// The hostile requests for one request type, from its descriptor: mutated seeds (truncated,
/// bit-flipped), random bytes, wrong wire types and unknown fields, lying length prefixes, wrong
/// field types, invalid UTF-8, huge strings, many repeated entries, absurd paging; and, per rpc,
/// broken gRPC framing, compression and metadata. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class BadInputs(MessageDescriptor type, Random random, int maxMessageSize)
{
    private const int Seeds = 3;

    /// <summary>64 MiB of zeros in about 64 KiB of gzip: made once, sent to every rpc.</summary>
    private static readonly Lazy<byte[]> GzipBomb = new(() => Wire.Frame(Gzip(new byte[64 << 20]), flag: 1));
    private static readonly ulong[] LyingLengths = [int.MaxValue, 1UL << 32, 1UL << 63, ulong.MaxValue];
    private static readonly ulong[] UndefinedEnumValues = [99, ulong.MaxValue, int.MaxValue, 0x8000_0000];
    private static readonly ulong[] OutOfRangeIntegers = [ulong.MaxValue, 1UL << 40, 2];
    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFF, 0xFE], [0xC0, 0xAF], [0x61, 0xE1, 0xBA]];

    private readonly List<byte[]> _seeds = [.. Enumerable.Range(0, Seeds).Select(_ => SeedMessages.Build(type, random))];

    private byte[] AnySeed => _seeds[random.Next(_seeds.Count)];

    /// <summary>Message-level inputs: every one is a single well-framed gRPC message.</summary>
    public List<BadInput> Messages(IReadOnlyList<byte[]> otherTypesSeeds)
    {
        var inputs = new List<(string Kind, byte[] Message)>();
        inputs.Add(("empty", []));
        foreach (var seed in _seeds)
        {
            inputs.Add(("valid", seed));
            for (var i = 0; i < 2 && seed.Length > 1; i++)
            {
                inputs.Add(("truncated", seed[..random.Next(1, seed.Length)]));
            }

            for (var i = 0; i < 4 && seed.Length > 0; i++)
            {
                var flipped = (byte[])seed.Clone();
                for (var bits = random.Next(1, 5); bits > 0; bits--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }

                inputs.Add(("bit-flip", flipped));
            }
        }

        for (var i = 0; i < 6; i++)
        {
            inputs.Add(("random", Wire.RandomBytes(random, random.Next(1, 200))));
        }

        inputs.AddRange(otherTypesSeeds.Select(other => ("another-type", other)));
        inputs.Add(("field-number-0", Wire.Concat(AnySeed, Wire.Varint(0, 1))));
        var highest = type.Fields.InFieldNumberOrder().Select(f => f.FieldNumber).DefaultIfEmpty(0).Max();
        foreach (var number in new[] { highest + 1, 1000, 19_500, 536_870_911 })
        {
            foreach (var wireType in new[] { 0, 1, 2, 5 })
            {
                inputs.Add(("unknown-field", Wire.Concat(AnySeed, Wire.AnyOfWireType(number, wireType, random))));
            }

            inputs.Add(("unknown-group", Wire.Concat(AnySeed, Wire.AnyOfWireType(number, 3, random), Wire.AnyOfWireType(number, 4, random))));
        }

        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            inputs.AddRange(FieldInputs(field));
        }

        return [.. inputs.Select(i => new BadInput(i.Kind, Wire.Frame(i.Message)))];
    }

    /// <summary>Strings up to and past the message-size limit, in the request's first string field (expensive: one caller).</summary>
    public List<BadInput> HugeStrings()
    {
        if (type.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String) is not { } field)
        {
            return [];
        }

        // Tag (≤ 5 bytes) + length (5 bytes) + text: the largest text whose message still fits the limit.
        var fits = maxMessageSize - 10 - (field.FieldNumber >= 16 ? 1 : 0);
        return
        [
            new("huge-string-1MiB", Wire.Frame(Wire.Field(field.FieldNumber, Text(1 << 20)))),
            new("huge-string-at-limit", Wire.Frame(Wire.Field(field.FieldNumber, Text(fits)))),
            new("huge-string-past-limit", Wire.Frame(Wire.Field(field.FieldNumber, Text(maxMessageSize + 1)))),
        ];
    }

    /// <summary>Broken framing, compression and metadata: all refused or served before any handler code sees the caller.</summary>
    public List<BadInput> Transport()
    {
        var seed = AnySeed;
        var gzip = new KeyValuePair<string, string>("grpc-encoding", "gzip");
        return
        [
            new("frame-compressed-without-encoding", Wire.Frame(seed, flag: 1)),
            new("frame-compressed-identity", Wire.Frame(seed, flag: 1), [new("grpc-encoding", "identity")]),
            new("frame-flag-2", Wire.Frame(seed, flag: 2)),
            new("frame-flag-255", Wire.Frame(seed, flag: 255)),
            new("frame-length-4GiB", Wire.Frame(seed, claimedLength: uint.MaxValue)),
            new("frame-length-2GiB", Wire.Frame(seed, claimedLength: 0x8000_0000)),
            new("frame-length-past-limit", Wire.Frame(seed, claimedLength: (uint)maxMessageSize + 1)),
            new("frame-length-short-body", Wire.Frame(seed, claimedLength: (uint)seed.Length + 100)),
            new("frame-header-cut", [0, 0, 0]),
            new("frame-none", []),
            new("frame-two-messages", Wire.Concat(Wire.Frame(seed), Wire.Frame(seed))),
            new("frame-trailing-bytes", Wire.Concat(Wire.Frame(seed), [0, 0])),
            new("gzip-valid", Wire.Frame(Gzip(seed), flag: 1), [gzip]),
            new("gzip-garbage", Wire.Frame(Wire.RandomBytes(random, 64), flag: 1), [gzip]),
            new("gzip-cut", Wire.Frame(Gzip([.. seed, .. Wire.Varint(1000, 1)])[..^6], flag: 1), [gzip]),
            new("gzip-bomb-64MiB", GzipBomb.Value, [gzip]),
            new("encoding-unsupported", Wire.Frame(seed, flag: 1), [new("grpc-encoding", "snappy")]),
            new("timeout-garbage", Wire.Frame(seed), [new("grpc-timeout", "soon")]),
            new("timeout-absurd", Wire.Frame(seed), [new("grpc-timeout", "99999999H")]),
            new("metadata-binary-not-base64", Wire.Frame(seed), [new("x-trace-bin", "!!!not base64!!!")]),
            new("metadata-over-count-limit", Wire.Frame(seed), [.. Enumerable.Range(0, 300).Select(i => new KeyValuePair<string, string>($"x-h{i}", new string('v', 40)))]),
            new("metadata-under-limits", Wire.Frame(seed), [new("x-note", new string('a', 20_000)), .. Enumerable.Range(0, 60).Select(i => new KeyValuePair<string, string>($"x-h{i}", new string('v', 40)))]),
            new("metadata-over-size-limit", Wire.Frame(seed), [new("x-note", new string('a', 40_000))]),
        ];
    }

    private IEnumerable<(string Kind, byte[] Message)> FieldInputs(FieldDescriptor field)
    {
        var number = field.FieldNumber;
        var expected = Wire.WireTypeOf(field);
        for (var wireType = 0; wireType <= Wire.InvalidWireType7; wireType++)
        {
            if (wireType != expected)
            {
                yield return ("wrong-wire-type", Wire.Concat(AnySeed, Wire.AnyOfWireType(number, wireType, random)));
            }
        }

        if (expected == 2)
        {
            foreach (var claimed in LyingLengths)
            {
                yield return ("huge-length-prefix", Wire.Concat(AnySeed, Wire.LyingLength(number, claimed)));
            }
        }
        else if (expected == 0)
        {
            yield return ("overlong-varint", Wire.Concat(AnySeed, Wire.OverlongVarint(number)));
        }

        switch (field.FieldType)
        {
            case FieldType.String:
                foreach (var bad in InvalidUtf8)
                {
                    yield return ("invalid-utf8", Wire.Concat(AnySeed, Wire.Field(number, bad)));
                }

                yield return ("wrong-type-message-in-string", Wire.Concat(AnySeed, Wire.Field(number, AnySeed)));
                yield return ("huge-string-64KiB", Wire.Concat(AnySeed, Wire.Field(number, Text(64 << 10))));
                yield return ("control-characters", Wire.Concat(AnySeed, Wire.Field(number, Encoding.UTF8.GetBytes("\0\u0001\u202e\ud83d\ude00' OR 1=1 --%"))));
                break;
            case FieldType.Message:
                yield return ("wrong-type-text-in-message", Wire.Concat(AnySeed, Wire.Field(number, "không phải message \u00ff"u8.ToArray())));
                foreach (var inner in NestedInputs(field))
                {
                    yield return inner;
                }

                break;
            case FieldType.Enum:
                foreach (var value in UndefinedEnumValues)
                {
                    yield return ("enum-undefined", Wire.Concat(AnySeed, Wire.Varint(number, value)));
                }

                break;
            default:
                if (expected == 0)
                {
                    foreach (var value in OutOfRangeIntegers)
                    {
                        yield return ("integer-out-of-range", Wire.Concat(AnySeed, Wire.Varint(number, value)));
                    }
                }

                break;
        }

        if (field.IsRepeated)
        {
            var entries = field.FieldType == FieldType.String ? 20_000 : 100_000;
            yield return ("many-repeated", Wire.Concat([AnySeed, .. Enumerable.Range(0, entries).Select(_ => OneValue(field))]));
            if (field.IsPacked || field.FieldType == FieldType.Enum)
            {
                var packed = Wire.Write(o =>
                {
                    for (var i = 0; i < 100_000; i++)
                    {
                        o.Varint((ulong)random.Next(0, 9));
                    }
                });
                yield return ("many-repeated-packed", Wire.Concat(AnySeed, Wire.Field(number, packed)));
            }
        }
        else
        {
            yield return ("field-repeated-20000-times", Wire.Concat([AnySeed, .. Enumerable.Range(0, 20_000).Select(_ => OneValue(field))]));
        }
    }

    /// <summary>Inside a nested message: invalid UTF-8 and huge text in its strings, and absurd paging where it is a page request.</summary>
    private IEnumerable<(string Kind, byte[] Message)> NestedInputs(FieldDescriptor field)
    {
        var nested = field.MessageType;
        var isPage = nested.FullName == "dvc.common.v1.PageRequest";
        foreach (var inner in nested.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.String))
        {
            var nestedSeed = SeedMessages.Build(nested, random);
            yield return ("nested-invalid-utf8", Wire.Concat(AnySeed, Wire.Field(field.FieldNumber, Wire.Concat(nestedSeed, Wire.Field(inner.FieldNumber, InvalidUtf8[random.Next(InvalidUtf8.Length)])))));
            yield return ("nested-huge-string", Wire.Concat(AnySeed, Wire.Field(field.FieldNumber, Wire.Concat(nestedSeed, Wire.Field(inner.FieldNumber, Text(200_000))))));
        }

        if (!isPage)
        {
            yield break;
        }

        foreach (var size in new[] { int.MaxValue, 1_000_000_000 })
        {
            yield return ("page-size-absurd", WithPage(field, Wire.Varint(1, (ulong)size)));
        }

        foreach (var size in new[] { -1L, int.MinValue })
        {
            yield return (BadInput.NegativePageSize, WithPage(field, Wire.Varint(1, (ulong)size)));
        }

        string[] tokens =
        [
            "garbage!", "====", "AAAA", Convert.ToBase64String(Wire.RandomBytes(random, 30)).TrimEnd('='),
            new string('Q', 200_000),
            Base64Url("ZZZZZZZZZZZZ:1"), Base64Url("ABCDEF123456:99999999999999999999"), Base64Url(":"), "\u00e9t\u00e9",
        ];
        foreach (var token in tokens)
        {
            yield return (BadInput.BadPageToken, WithPage(field, Wire.Field(2, Encoding.UTF8.GetBytes(token))));
        }
    }

    /// <summary>A seed whose page request is replaced (the last occurrence of a message field is merged into the first).</summary>
    private byte[] WithPage(FieldDescriptor pageField, byte[] page) => Wire.Concat(AnySeed, Wire.Field(pageField.FieldNumber, page));

    private byte[] OneValue(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => Wire.Field(field.FieldNumber, "full_name"u8.ToArray()),
        FieldType.Message => Wire.Field(field.FieldNumber, SeedMessages.Build(field.MessageType, random)),
        FieldType.Bytes => Wire.Field(field.FieldNumber, [1, 2, 3]),
        _ => Wire.AnyOfWireType(field.FieldNumber, Wire.WireTypeOf(field) == 2 ? 0 : Wire.WireTypeOf(field), random),
    };

    /// <summary>Valid UTF-8 of exactly <paramref name="bytes"/> bytes, Vietnamese letters included.</summary>
    private static byte[] Text(int bytes)
    {
        var text = new byte[bytes];
        var pattern = "Nguyễn Văn "u8;
        for (var i = 0; i + pattern.Length <= bytes; i += pattern.Length)
        {
            pattern.CopyTo(text.AsSpan(i));
        }

        for (var i = bytes - (bytes % pattern.Length); i < bytes; i++)
        {
            text[i] = (byte)'a';
        }

        return text;
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}
