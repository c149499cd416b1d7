using System.Globalization;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Hands out unique personal ID numbers and old CMND numbers. Within each prefix (province,
/// century/gender digit, birth-year digits) the 6 random digits are the n-th value of a keyed
/// permutation of 000000–999999, so numbers look random and never repeat. Memory is one
/// counter per prefix, whatever the population size.
/// The permutations are keyed by a constant, not by the population seed: a load appended to an
/// earlier one (of any seed) goes on from the counters in <see cref="IdNumberUsage"/> and so
/// can never hand out a number that is already taken.
/// </summary>
internal sealed class IdNumberAllocator
{
    private const long SerialSpace = 1_000_000;
    private const long CmndSpace = 1_000_000_000;
    private const ulong PermutationKey = 0x0C0D_E137_2015_0007;

    private readonly Dictionary<int, (SerialPermutation Permutation, int Used)> _prefixes = [];
    private readonly Dictionary<int, int> _usedBefore;
    private readonly SerialPermutation _cmnd = new(CmndSpace, PopulationRandom.Derive(PermutationKey, 0xC3D));
    private long _cmndUsed;

    public IdNumberAllocator(IdNumberUsage? usedBefore = null)
    {
        _usedBefore = usedBefore?.Prefixes ?? [];
        _cmndUsed = usedBefore?.Cmnd ?? 0;
    }

    public PersonalIdNumber Next(string provinceCode, int birthYear, Gender gender)
    {
        var digit = PersonalIdNumber.CenturyGenderDigitFor(birthYear, gender)
            ?? throw new ArgumentOutOfRangeException(nameof(birthYear), birthYear, "No ID number exists for this birth year.");
        var prefix = (int.Parse(provinceCode, CultureInfo.InvariantCulture) * 1000) + (digit * 100) + (birthYear % 100);
        if (!_prefixes.TryGetValue(prefix, out var state))
        {
            state = (new SerialPermutation(SerialSpace, PopulationRandom.Derive(PermutationKey, (ulong)prefix)), _usedBefore.GetValueOrDefault(prefix));
        }

        if (state.Used >= SerialSpace)
        {
            throw new InvalidOperationException($"All {SerialSpace} numbers of prefix {prefix:D6} are used.");
        }

        var serial = (int)state.Permutation.Map(state.Used);
        _prefixes[prefix] = (state.Permutation, state.Used + 1);
        return PersonalIdNumber.Create(provinceCode, birthYear, gender, serial);
    }

    /// <summary>A 9-digit CMND number no one else in this population holds.</summary>
    public string NextCmnd()
    {
        if (_cmndUsed >= CmndSpace)
        {
            throw new InvalidOperationException("All 9-digit CMND numbers are used.");
        }

        return _cmnd.Map(_cmndUsed++).ToString("D9", CultureInfo.InvariantCulture);
    }
}

/// <summary>How many numbers earlier loads took: per 6-digit prefix (province, century/gender, year) and for CMND.</summary>
public sealed class IdNumberUsage
{
    public Dictionary<int, int> Prefixes { get; } = [];

    public long Cmnd { get; set; }
}
