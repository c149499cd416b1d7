using System.Globalization;
using System.Text;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Text;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Identity.Registration;

/// <summary>
/// Registration's check against the national population database (the citizens table): the ID
/// number must name a living citizen whose full name (case and spacing aside), birth date (to
/// the record's own precision) and registered mobile number all agree.
/// </summary>
/// <remarks>
/// Not written to the data access log (Audit/AccessLog), by decision: the log records
/// disclosures of a citizen's data to an accessor, and this check discloses none. An anonymous
/// caller learns one bit (all four details agree, or not) about details they typed themselves,
/// and not even which one differs; a match is answered by an SMS to the citizen's own phone, so
/// the citizen hears of it at once. Probing is bounded by the abuse limits on OTP sends (per
/// address and per ID number) instead. Every completed registration is in the sign-in audit.
/// </remarks>
public sealed class PopulationRegistryCheck(DvcDbContext db) : ICitizenRegistryCheck
{
    public async Task<RegistryMatch> MatchAsync(string idNumber, string fullName, BirthDate birthDate, string phone, CancellationToken cancellationToken)
    {
        var row = await db.Set<CitizenRow>().AsNoTracking()
            .Where(c => c.IdNumber == idNumber)
            .Select(c => new { c.FullName, c.BirthYear, c.BirthMonth, c.BirthDay, c.Phone, c.Status })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return RegistryMatch.NotFound;
        }

        var same = row.Status == CitizenStatus.Living
            && SameName(row.FullName, fullName)
            && row.BirthYear == birthDate.Year && row.BirthMonth == birthDate.Month && row.BirthDay == birthDate.Day
            && MobileNumber.TryNormalize(row.Phone, out var registered) && registered == phone;
        return same ? RegistryMatch.Matched : RegistryMatch.Mismatch;
    }

    // Diacritics count ("Lê" is not "Le"): they are part of a Vietnamese name. Case and spacing do not.
    private static bool SameName(string recorded, string typed)
        => string.Compare(Canonical(recorded), Canonical(typed), CultureInfo.InvariantCulture, CompareOptions.IgnoreCase) == 0;

    private static string Canonical(string name)
        => string.Join(' ', name.Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
