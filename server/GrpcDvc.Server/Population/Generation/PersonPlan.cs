namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// One person of a planned household, before names and numbers: relation, gender, birth and
/// family links as indexes into the plan. Parents always come before their children in a plan.
/// </summary>
internal sealed class PersonPlan(RelationToHead? relation, Gender gender, DateOnly born)
{
    /// <summary>Null for a relative who is not a member (a deceased parent of the head).</summary>
    public RelationToHead? Relation { get; } = relation;

    public Gender Gender { get; } = gender;

    public DateOnly Born { get; } = born;

    public int? Father { get; set; }

    public int? Mother { get; set; }

    public int? Spouse { get; set; }

    public DateOnly? DiedOn { get; set; }

    public bool IsMember => Relation is not null;
}

/// <summary>The shapes of household the generator draws from.</summary>
internal enum HouseholdKind
{
    Single,
    Couple,
    Nuclear,
    SingleParent,
    WithHeadsParents,
    WithMarriedChild,
}
