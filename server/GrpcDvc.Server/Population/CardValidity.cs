namespace GrpcDvc.Server.Population;

/// <summary>
/// Until when an identity card is valid. Cards must be changed when the holder reaches 25, 40
/// and 60 (and 14 under the Identity Law 2023, which also allows cards below 14); a card issued
/// within the 2 years before such an age stays valid to the next one, so a card issued at 58 or
/// later is valid for life. Old CCCD cards keep their printed expiry.
/// </summary>
public static class CardValidity
{
    private static readonly int[] CccdChangeAges = [25, 40, 60];
    private static readonly int[] CanCuocChangeAges = [14, 25, 40, 60];

    /// <summary>
    /// The expiry of a card issued on <paramref name="issuedOn"/>, or null for a card valid for life.
    /// A partial birth date counts from its earliest day — our assumption; no source says how
    /// such cards are dated.
    /// </summary>
    public static DateOnly? ExpiryFor(IdentityDocumentKind kind, BirthDate birthDate, DateOnly issuedOn)
    {
        var ages = kind switch
        {
            IdentityDocumentKind.CanCuoc => CanCuocChangeAges,
            IdentityDocumentKind.CccdBarcode or IdentityDocumentKind.CccdChip => CccdChangeAges,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "CMND cards were valid for 15 years; see CmndExpiry."),
        };
        var born = birthDate.EarliestDay;
        foreach (var age in ages)
        {
            var changeDay = born.AddYears(age);
            if (issuedOn < changeDay.AddYears(-2))
            {
                return changeDay;
            }
        }

        return null;
    }

    /// <summary>A CMND was valid for 15 years from issue, and no CMND is valid after 31/12/2024.</summary>
    public static DateOnly CmndExpiry(DateOnly issuedOn)
    {
        var fifteenYears = issuedOn.AddYears(15);
        return fifteenYears < CmndEnd ? fifteenYears : CmndEnd;
    }

    /// <summary>The last day any CMND was valid.</summary>
    public static DateOnly CmndEnd { get; } = new(2024, 12, 31);

    /// <summary>The issuer printed on a thẻ căn cước.</summary>
    public const string CanCuocIssuer = "Bộ Công an";

    /// <summary>The day the Identity Law 2023 took effect: cards issued from then are thẻ căn cước.</summary>
    public static DateOnly CanCuocFrom { get; } = new(2024, 7, 1);
}
