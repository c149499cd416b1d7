using System.Numerics;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// A small, fast generator (xoshiro256**, seeded through SplitMix64) whose sequence is fixed by
/// its seed on every runtime. System.Random does not promise that, and the population must be
/// the same for the same seed.
/// </summary>
internal sealed class PopulationRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public PopulationRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A value in [0, maxExclusive), without modulo bias (Lemire's multiply-and-reject).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (ulong)maxExclusive;
        var product = (UInt128)(NextUInt64() >> 32) * bound;
        var low = (ulong)product & 0xFFFF_FFFF;
        if (low < bound)
        {
            var threshold = (0x1_0000_0000UL - bound) % bound;
            while (low < threshold)
            {
                product = (UInt128)(NextUInt64() >> 32) * bound;
                low = (ulong)product & 0xFFFF_FFFF;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>A value in [min, maxInclusive].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    public DateOnly DayBetween(DateOnly first, DateOnly last)
        => last <= first ? first : first.AddDays(Next(last.DayNumber - first.DayNumber + 1));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A seed for an independent stream, derived from this one's seed and a label.</summary>
    public static ulong Derive(ulong seed, ulong label)
    {
        var x = seed ^ (label * 0x9E37_79B9_7F4A_7C15);
        return SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E37_79B9_7F4A_7C15;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }
}
