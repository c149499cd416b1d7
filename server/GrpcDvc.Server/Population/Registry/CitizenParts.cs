namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// What a read loads beside the citizen's own row. A purpose that shows no identity documents
/// reads none, and only the residence confirmation reads the residence history: data that is
/// not shown is not read either (data minimisation), and each part skipped is work the database
/// does not do on the busiest rpc.
/// </summary>
[Flags]
public enum CitizenParts
{
    None = 0,

    /// <summary>The identity cards (for the documents and old ID number fields).</summary>
    Documents = 1,

    /// <summary>The residence history, with its periods.</summary>
    ResidencePeriods = 2,
}

public static class CitizenPartsFor
{
    /// <summary>The parts the given fields are made from: documents and old ID numbers come from the cards.</summary>
    public static CitizenParts Fields(IEnumerable<string> fields)
        => fields.Any(f => f is CitizenFields.Documents or CitizenFields.OldIdNumbers) ? CitizenParts.Documents : CitizenParts.None;
}
