namespace GrpcDvc.Server.Population.Registry;

/// <summary>The purpose a read states, with the dossier or request reference and, for extraction, the legal basis.</summary>
public sealed record StatedPurpose(ReadPurpose Purpose, string? Reference, string? LegalBasis)
{
    public static StatedPurpose SelfService { get; } = new(ReadPurpose.SelfService, null, null);
}
