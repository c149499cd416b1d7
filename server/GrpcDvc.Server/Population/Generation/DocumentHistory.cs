using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Generation;

/// <summary>
/// The identity cards a person holds or held. People who were 14 before 2016 mostly got a
/// 9-digit CMND. Barcode CCCD cards came from 2016, chip cards from 2021 and thẻ căn cước from
/// 1/7/2024. A card that reaches its change age is renewed, or left expired if the holder has
/// not come in yet. A few cards are reported lost and re-issued. The cards of the dead are revoked.
/// </summary>
internal sealed class DocumentHistory(PopulationRandom random, IdNumberAllocator ids, DateOnly asOf)
{
    private const string CardAuthority = "Cục Cảnh sát quản lý hành chính về trật tự xã hội";

    private static readonly DateOnly CmndLastIssue = new(2015, 12, 31);
    private static readonly DateOnly BarcodeFrom = new(2016, 1, 1);
    private static readonly DateOnly BarcodeTo = new(2020, 12, 31);
    private static readonly DateOnly ChipFrom = new(2021, 1, 1);
    private static readonly DateOnly ChipTo = new(2024, 6, 30);

    public void Add(PersonDraft person, OldProvince cmndProvince, List<IdentityDocumentRow> output, ref long nextId)
    {
        var born = person.Plan.Born;
        var end = person.Plan.DiedOn ?? asOf;
        var fourteen = born.AddYears(14);
        IdentityDocumentRow? cmnd = null;
        if (fourteen <= CmndLastIssue && fourteen <= end && random.Chance(0.93))
        {
            // Only the latest CMND is kept: it was valid 15 years, so older ones had been renewed.
            var issued = CmndLastIssue.AddYears(-15) > fourteen
                ? random.DayBetween(CmndLastIssue.AddYears(-15), Min(CmndLastIssue, end))
                : random.DayBetween(fourteen, Min(Min(fourteen.AddYears(4), CmndLastIssue), end));
            var issuer = cmndProvince.IsCity ? $"Công an thành phố {cmndProvince.ShortName}" : $"Công an tỉnh {cmndProvince.ShortName}";
            cmnd = Document(ref nextId, person, IdentityDocumentKind.Cmnd9, ids.NextCmnd(), issued, CardValidity.CmndExpiry(issued), issuer);
            output.Add(cmnd);
        }

        var card = FirstCard(person, fourteen, end, ref nextId);
        if (cmnd is not null)
        {
            cmnd.Status = card is not null && card.IssuedOn > cmnd.IssuedOn ? DocumentStatus.Replaced
                : cmnd.ExpiresOn < asOf ? DocumentStatus.Expired : DocumentStatus.Valid;
        }

        while (card is not null)
        {
            output.Add(card);
            card = NextCard(person, card, end, ref nextId);
        }

        if (!person.IsLiving)
        {
            foreach (var document in output.Where(d => d.CitizenId == person.CitizenId && d.Status == DocumentStatus.Valid))
            {
                document.Status = DocumentStatus.Revoked;
            }
        }
    }

    private IdentityDocumentRow? FirstCard(PersonDraft person, DateOnly fourteen, DateOnly end, ref long nextId)
    {
        if (fourteen > end)
        {
            // Under 14: a căn cước only on request, which few parents have made yet.
            return end >= CardValidity.CanCuocFrom && random.Chance(0.05)
                ? Card(ref nextId, person, random.DayBetween(Max(CardValidity.CanCuocFrom, person.Plan.Born.AddDays(30)), end))
                : null;
        }

        var roll = random.NextDouble();
        (DateOnly From, DateOnly To)? window = roll switch
        {
            < 0.12 => (BarcodeFrom, BarcodeTo),
            < 0.90 => (ChipFrom, ChipTo),
            < 0.96 => (CardValidity.CanCuocFrom, asOf),
            _ => null,
        };
        if (window is not { } w)
        {
            return null;
        }

        var from = Max(w.From, fourteen);
        var to = Min(w.To, end);
        return from > to ? null : Card(ref nextId, person, random.DayBetween(from, to));
    }

    /// <summary>The card that follows <paramref name="card"/>: a renewal at a change age, or a re-issue after a loss.</summary>
    private IdentityDocumentRow? NextCard(PersonDraft person, IdentityDocumentRow card, DateOnly end, ref long nextId)
    {
        if (card.ExpiresOn is { } expires && expires <= end)
        {
            var renewal = random.DayBetween(expires.AddDays(-60), expires.AddDays(240));
            if (renewal > end || renewal <= card.IssuedOn)
            {
                card.Status = DocumentStatus.Expired;
                return null;
            }

            card.Status = DocumentStatus.Replaced;
            return Card(ref nextId, person, renewal);
        }

        if (random.Chance(0.01) && card.IssuedOn.AddDays(60) < end)
        {
            var reissued = random.DayBetween(card.IssuedOn.AddDays(60), end);
            card.Status = DocumentStatus.Lost;
            return Card(ref nextId, person, reissued);
        }

        card.Status = DocumentStatus.Valid;
        return null;
    }

    private static IdentityDocumentRow Card(ref long nextId, PersonDraft person, DateOnly issued)
    {
        var kind = issued >= CardValidity.CanCuocFrom ? IdentityDocumentKind.CanCuoc
            : issued >= ChipFrom ? IdentityDocumentKind.CccdChip
            : IdentityDocumentKind.CccdBarcode;
        var authority = kind == IdentityDocumentKind.CanCuoc ? CardValidity.CanCuocIssuer : CardAuthority;
        return Document(ref nextId, person, kind, person.IdNumber.Value, issued, CardValidity.ExpiryFor(kind, person.BirthDate, issued), authority);
    }

    private static IdentityDocumentRow Document(
        ref long nextId, PersonDraft person, IdentityDocumentKind kind, string number, DateOnly issued, DateOnly? expires, string issuer)
        => new()
        {
            Id = nextId++,
            CitizenId = person.CitizenId,
            Kind = kind,
            Number = number,
            IssuedOn = issued,
            ExpiresOn = expires,
            Status = DocumentStatus.Valid,
            IssuedBy = issuer,
        };

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
