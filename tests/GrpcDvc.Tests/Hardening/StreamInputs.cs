using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Tests.Hardening;

/// <summary>
/// Hostile streams for client-streaming rpcs: several messages on one call, from the request's descriptor. Where the
/// request is a oneof of a message (a header) and bytes (chunks), the upload shape: streams without a header,
/// headers repeated, chunks empty or past 64 KiB, thousands of tiny chunks, absurd declared sizes (every integer
/// field of the header), more bytes than declared; and, where the header names a size and a SHA-256, a well-formed
/// upload so the whole path runs. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class StreamInputs(MessageDescriptor type, Random random)
{
    private const int Chunk = 64 * 1024;

    public List<BadInput> All()
    {
        var seed = SeedMessages.Build(type, random);
        var inputs = new List<BadInput>
        {
            new("stream-many-messages", Frames(Enumerable.Repeat(seed, 1_000))),
            new("stream-empty-messages-10000", Frames(Enumerable.Repeat(Array.Empty<byte>(), 10_000))),
        };
        var oneof = type.Oneofs.Where(o => !o.IsSynthetic).FirstOrDefault(o => o.Fields.Any(f => f.FieldType == FieldType.Message) && o.Fields.Any(f => f.FieldType == FieldType.Bytes));
        if (oneof is null)
        {
            return inputs;
        }

        var headerField = oneof.Fields.First(f => f.FieldType == FieldType.Message);
        var chunkField = oneof.Fields.First(f => f.FieldType == FieldType.Bytes);
        byte[] Header(byte[] body) => Wire.Field(headerField.FieldNumber, body);
        byte[] ChunkOf(byte[] bytes) => Wire.Field(chunkField.FieldNumber, bytes);
        byte[] RandomChunk(int size) => ChunkOf(Wire.RandomBytes(random, size));
        var header = Header(SeedMessages.Build(headerField.MessageType, random));

        inputs.Add(new("stream-chunks-without-header", Frames([RandomChunk(100), RandomChunk(100), RandomChunk(100)])));
        inputs.Add(new("stream-header-twice", Frames([header, header])));
        inputs.Add(new("stream-header-after-chunk", Frames([header, RandomChunk(10), header])));
        inputs.Add(new("stream-chunk-empty", Frames([header, ChunkOf([])])));
        inputs.Add(new("stream-chunk-past-64KiB", Frames([header, RandomChunk(Chunk + 1)])));
        inputs.Add(new("stream-chunk-1MiB", Frames([header, RandomChunk(1 << 20)])));
        inputs.Add(new("stream-1-byte-chunks-20000", Frames([header, .. Enumerable.Range(0, 20_000).Select(_ => RandomChunk(1))])));
        inputs.Add(new("stream-more-than-declared-10MiB", Frames([header, .. Enumerable.Range(0, 160).Select(_ => RandomChunk(Chunk))])));
        foreach (var integer in headerField.MessageType.Fields.InFieldNumberOrder().Where(f => Wire.WireTypeOf(f) == 0 && f.FieldType != FieldType.Enum && f.FieldType != FieldType.Bool))
        {
            foreach (var value in new[] { long.MaxValue, -1L, 1L << 40 })
            {
                var lying = Header(Wire.Concat(SeedMessages.Build(headerField.MessageType, random), Wire.Varint(integer.FieldNumber, (ulong)value)));
                inputs.Add(new("stream-declared-size-absurd", Frames([lying, .. Enumerable.Range(0, 40).Select(_ => RandomChunk(Chunk))])));
            }
        }

        if (WellFormed(headerField.MessageType, Header, ChunkOf) is { } upload)
        {
            inputs.Add(upload);
        }

        return inputs;
    }

    /// <summary>A PDF of 100 KiB with the header's size and SHA-256 right (the seed's other fields as the seeds make them).</summary>
    private BadInput? WellFormed(MessageDescriptor header, Func<byte[], byte[]> wrapHeader, Func<byte[], byte[]> wrapChunk)
    {
        if (header.FindFieldByName("size") is not { } size || header.FindFieldByName("sha256") is not { } sha256)
        {
            return null;
        }

        var pdf = Wire.Concat("%PDF-1.7\n"u8.ToArray(), Wire.RandomBytes(random, 100 * 1024));
        var body = Wire.Concat(
            SeedMessages.Build(header, random),
            Wire.Varint(size.FieldNumber, (ulong)pdf.Length),
            Wire.Field(sha256.FieldNumber, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(pdf)))));
        return new("stream-well-formed", Frames([wrapHeader(body), .. pdf.Chunk(Chunk).Select(wrapChunk)]));
    }

    private static byte[] Frames(IEnumerable<byte[]> messages) => Wire.Concat(messages.Select(m => Wire.Frame(m)));
}
