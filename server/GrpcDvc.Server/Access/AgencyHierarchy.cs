using System.Collections.Frozen;

namespace GrpcDvc.Server.Access;

/// <summary>One administrative unit as agency scope sees it: where it sits and who took it over.</summary>
public sealed record UnitLink(int Id, string Code, int? ParentId, int? SuccessorId);

/// <summary>
/// The rule of agency scope over the administrative units, without storage: a unit covers itself
/// and every unit under it (ParentId chain), a unit that was merged away is covered by whoever
/// covers its successor (SuccessorId: a district of an old province belongs to the new province
/// formed from it in 2025), and a national unit (the Ministry) covers everything.
/// A subject with several units (permanent, temporary and current residence) is covered when any
/// one of them is: the police where a person lives or stays may look the person up.
/// </summary>
public sealed class AgencyHierarchy
{
    private readonly FrozenDictionary<string, UnitLink> _byCode;
    private readonly FrozenDictionary<int, UnitLink> _byId;
    private readonly FrozenSet<string> _nationalUnits;
    private readonly Lazy<ILookup<int, int>> _within;

    public AgencyHierarchy(IEnumerable<UnitLink> units, IEnumerable<string> nationalUnitCodes)
    {
        var list = units.ToList();
        _byCode = list.ToFrozenDictionary(u => u.Code, StringComparer.Ordinal);
        _byId = list.ToFrozenDictionary(u => u.Id);
        _nationalUnits = nationalUnitCodes.ToFrozenSet(StringComparer.Ordinal);
        // The links walked the other way: from a unit to those directly within it (children, and units merged into it).
        _within = new Lazy<ILookup<int, int>>(() => list
            .SelectMany(u => new[] { (Above: u.ParentId, u.Id), (Above: u.SuccessorId, u.Id) })
            .Where(link => link.Above is not null)
            .ToLookup(link => link.Above!.Value, link => link.Id));
    }

    public int Count => _byId.Count;

    /// <summary>
    /// Every unit within <paramref name="agencyUnitCode"/> (the ids <see cref="Covers"/> accepts for a
    /// subject): walks down from it through children and predecessors. Null for a national unit (all
    /// of them); empty for an unknown code.
    /// </summary>
    public IReadOnlyCollection<int>? CoveredUnitIds(string agencyUnitCode)
    {
        if (_nationalUnits.Contains(agencyUnitCode))
        {
            return null;
        }

        if (!_byCode.TryGetValue(agencyUnitCode, out var agency))
        {
            return [];
        }

        var within = _within.Value;
        var covered = new HashSet<int> { agency.Id };
        var pending = new Stack<int>();
        pending.Push(agency.Id);
        while (pending.TryPop(out var current))
        {
            foreach (var below in within[current])
            {
                if (covered.Add(below))
                {
                    pending.Push(below);
                }
            }
        }

        return covered;
    }

    public bool Knows(string unitCode) => _byCode.ContainsKey(unitCode) || _nationalUnits.Contains(unitCode);

    /// <summary>Whether <paramref name="agencyUnitCode"/> may act on a subject in any of <paramref name="subjectUnitCodes"/>.</summary>
    public bool Covers(string agencyUnitCode, IEnumerable<string> subjectUnitCodes)
    {
        if (_nationalUnits.Contains(agencyUnitCode))
        {
            return true;
        }

        return _byCode.TryGetValue(agencyUnitCode, out var agency)
               && subjectUnitCodes.Any(code => _byCode.TryGetValue(code, out var unit) && IsWithin(unit, agency.Id));
    }

    // Walks up through parents and successors; the visited set guards against a cycle in bad data.
    private bool IsWithin(UnitLink unit, int agencyId)
    {
        var visited = new HashSet<int>();
        var pending = new Stack<UnitLink>();
        pending.Push(unit);
        while (pending.TryPop(out var current))
        {
            if (current.Id == agencyId)
            {
                return true;
            }

            if (!visited.Add(current.Id))
            {
                continue;
            }

            PushLinked(current.ParentId, pending);
            PushLinked(current.SuccessorId, pending);
        }

        return false;
    }

    private void PushLinked(int? id, Stack<UnitLink> pending)
    {
        if (id is { } known && _byId.TryGetValue(known, out var linked))
        {
            pending.Push(linked);
        }
    }
}
