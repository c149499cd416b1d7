namespace GrpcDvc.Server.Population.Persistence;

/// <summary>One identity card a citizen holds or held (CMND 9/12, CCCD, thẻ căn cước).</summary>
public sealed class IdentityDocumentRow
{
    public long Id { get; set; }

    public long CitizenId { get; set; }

    public IdentityDocumentKind Kind { get; set; }

    /// <summary>The card number: the old CMND number, or the personal ID number for CCCD and căn cước cards.</summary>
    public required string Number { get; set; }

    public DateOnly IssuedOn { get; set; }

    /// <summary>Null for a card valid for life.</summary>
    public DateOnly? ExpiresOn { get; set; }

    public DocumentStatus Status { get; set; }

    public required string IssuedBy { get; set; }
}
