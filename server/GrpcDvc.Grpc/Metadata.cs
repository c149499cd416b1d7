using System.Collections;
using System.Text;

namespace GrpcDvc.Grpc;

/// <summary>
/// gRPC custom metadata: ordered key/value pairs. Keys are lower-case ASCII; keys ending in
/// "-bin" carry bytes (base64 on the wire), all others printable ASCII strings.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    public int Count => _entries.Count;

    public Entry this[int index] => _entries[index];

    public void Add(string key, string value) => _entries.Add(new Entry(key, value));

    public void Add(string key, byte[] value) => _entries.Add(new Entry(key, value));

    public void Add(Entry entry) => _entries.Add(entry);

    /// <summary>The last entry with this key, or null.</summary>
    public Entry? Get(string key)
    {
        var normalized = Entry.NormalizeKey(key);
        return _entries.FindLast(e => e.Key == normalized);
    }

    public string? GetValue(string key) => Get(key)?.Value;

    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerable<Entry> GetAll(string key)
    {
        var normalized = Entry.NormalizeKey(key);
        return _entries.Where(e => e.Key == normalized);
    }

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry; exactly one of <see cref="Value"/> and <see cref="ValueBytes"/> is set.</summary>
    public sealed class Entry
    {
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' ends in -bin: give its value as bytes.", nameof(key));
            }

            foreach (var c in value)
            {
                if (c is < (char)0x20 or > (char)0x7E)
                {
                    throw new ArgumentException($"Value of '{key}' must be printable ASCII; use a -bin key for other data.", nameof(value));
                }
            }

            Value = value;
        }

        public Entry(string key, byte[] value)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{key}' does not end in -bin: give its value as a string.", nameof(key));
            }

            ValueBytes = value;
        }

        public string Key { get; }

        public string? Value { get; }

        public byte[]? ValueBytes { get; }

        public bool IsBinary => ValueBytes is not null;

        public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => IsBinary ? $"{Key}: [{ValueBytes!.Length} bytes]" : $"{Key}: {Value}";

        internal static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.'))
                {
                    throw new ArgumentException($"'{key}' is not a valid metadata key (allowed: a-z 0-9 - _ .).", nameof(key));
                }
            }

            return lower;
        }
    }
}

/// <summary>Base64 as gRPC metadata uses it: written without padding, read with or without.</summary>
public static class MetadataBase64
{
    public static string Encode(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    public static byte[] Decode(string value)
    {
        var trimmed = value.Trim();
        var padding = (4 - (trimmed.Length % 4)) % 4;
        return Convert.FromBase64String(padding == 0 ? trimmed : trimmed + new string('=', padding));
    }

    internal static string Describe(byte[] value) => Encoding.ASCII.GetString(value);
}
