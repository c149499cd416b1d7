namespace GrpcDvc.Server.Population.Persistence;

/// <summary>A household (hộ gia đình) at one permanent-residence address. Members point to it from <c>citizens</c>.</summary>
public sealed class HouseholdRow
{
    public long Id { get; set; }

    /// <summary>The member whose relation is Head. It has no foreign key, because citizens point back to the household.</summary>
    public long? HeadCitizenId { get; set; }

    public int UnitId { get; set; }

    public required string Address { get; set; }

    public DateOnly EstablishedOn { get; set; }
}
