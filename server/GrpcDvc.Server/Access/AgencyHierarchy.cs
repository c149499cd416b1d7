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

    public AgencyHierarchy(IEnumerable<UnitLink> units, IEnumerable<string> nationalUnitCodes)
    {
        var list = units.ToList();
        _byCode = list.ToFrozenDictionary(u => u.Code, StringComparer.Ordinal);
        _byId = list.ToFrozenDictionary(u => u.Id);
        _nationalUnits = nationalUnitCodes.ToFrozenSet(StringComparer.Ordinal);
    }

    public int Count => _byId.Count;

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
