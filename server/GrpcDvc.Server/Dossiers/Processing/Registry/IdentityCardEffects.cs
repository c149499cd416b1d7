using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Dossiers.Processing.Registry;

/// <summary>
/// Cấp, đổi, cấp lại thẻ căn cước (BCA-L3-01 … 06), Identity Law 2023: when the result is issued the
/// card has been made, and the registry records it: a thẻ căn cước numbered with the personal ID
/// number, issued that day, valid to the next age at which it must be changed
/// (<see cref="CardValidity"/>). The card the person held until then stops being valid: replaced when
/// the card is issued or exchanged, lost when it is re-issued (a re-issue follows a loss or damage).
/// The card is for each person named in the dossier (a parent filing for a child), or for the
/// applicant when nobody is.
/// </summary>
public sealed class IdentityCardIssued(DocumentStatus previousCardBecomes) : IRegistryEffect
{
    public async Task ApplyAsync(RegistryEffectContext context, CancellationToken cancellationToken)
    {
        foreach (var idNumber in context.NamedOrApplicant())
        {
            var citizen = await RegistryPlaces.CitizenAsync(context, idNumber, cancellationToken);
            foreach (var held in await context.Db.Set<IdentityDocumentRow>()
                         .Where(d => d.CitizenId == citizen.Id && d.Status == DocumentStatus.Valid).ToListAsync(cancellationToken))
            {
                held.Status = previousCardBecomes;
            }

            var born = BirthDate.Create(citizen.BirthYear, citizen.BirthMonth, citizen.BirthDay);
            context.Db.Set<IdentityDocumentRow>().Add(new IdentityDocumentRow
            {
                CitizenId = citizen.Id,
                Kind = IdentityDocumentKind.CanCuoc,
                Number = citizen.IdNumber,
                IssuedOn = context.Today,
                ExpiresOn = CardValidity.ExpiryFor(IdentityDocumentKind.CanCuoc, born, context.Today),
                Status = DocumentStatus.Valid,
                IssuedBy = CardValidity.CanCuocIssuer,
            });
        }
    }
}
