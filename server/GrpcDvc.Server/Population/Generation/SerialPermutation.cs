namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// A keyed permutation of [0, size): the n-th number handed out looks random, and no two are
/// ever the same, without remembering the ones already used. That matters at 10 million people.
/// It is a 4-round Feistel network over the smallest even power of two that covers the size,
/// with cycle-walking back into range.
/// </summary>
internal sealed class SerialPermutation
{
    private readonly long _size;
    private readonly int _halfBits;
    private readonly ulong _halfMask;
    private readonly ulong[] _keys;

    public SerialPermutation(long size, ulong key)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        _size = size;
        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1));
        _halfBits = (bits + 1) / 2;
        _halfMask = (1UL << _halfBits) - 1;
        _keys = new ulong[4];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = PopulationRandom.Derive(key, (ulong)i + 1);
        }
    }

    public long Size => _size;

    public long Map(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _size);
        var value = (ulong)index;
        do
        {
            value = Encrypt(value);
        }
        while (value >= (ulong)_size);

        return (long)value;
    }

    private ulong Encrypt(ulong value)
    {
        var left = value >> _halfBits;
        var right = value & _halfMask;
        foreach (var key in _keys)
        {
            var mixed = Round(right, key) & _halfMask;
            (left, right) = (right, left ^ mixed);
        }

        return (left << _halfBits) | right;
    }

    private static ulong Round(ulong value, ulong key)
    {
        var z = (value + key) * 0xBF58_476D_1CE4_E5B9;
        z ^= z >> 29;
        z *= 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 32);
    }
}
