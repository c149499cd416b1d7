using System.Globalization;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// Hands out unique personal ID numbers and old CMND numbers. Within each prefix (province,
/// century/gender digit, birth-year digits) the 6 random digits are the n-th value of a keyed
/// permutation of 000000–999999, so numbers look random and never repeat. Memory is one
/// counter per prefix, whatever the population size.
/// </summary>
internal sealed class IdNumberAllocator(ulong seed)
{
    private const long SerialSpace = 1_000_000;
    private const long CmndSpace = 1_000_000_000;

    private readonly Dictionary<int, (SerialPermutation Permutation, int Used)> _prefixes = [];
    private readonly SerialPermutation _cmnd = new(CmndSpace, PopulationRandom.Derive(seed, 0xC3D));
    private long _cmndUsed;

    public PersonalIdNumber Next(string provinceCode, int birthYear, Gender gender)
    {
        var digit = PersonalIdNumber.CenturyGenderDigitFor(birthYear, gender)
            ?? throw new ArgumentOutOfRangeException(nameof(birthYear), birthYear, "No ID number exists for this birth year.");
        var prefix = (int.Parse(provinceCode, CultureInfo.InvariantCulture) * 1000) + (digit * 100) + (birthYear % 100);
        if (!_prefixes.TryGetValue(prefix, out var state))
        {
            state = (new SerialPermutation(SerialSpace, PopulationRandom.Derive(seed, (ulong)prefix)), 0);
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
