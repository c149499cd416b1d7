using F = GrpcDvc.Server.Population.Registry.CitizenFields;

namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// Which fields each purpose may read (data minimisation, Decree 13/2023 on personal data):
/// an official states why they look a citizen up, and gets only what that job needs.
/// Extraction (DC02) has no fixed set: the request names the fields, any of <see cref="CitizenFields.All"/>.
/// </summary>
public static class PurposeFields
{
    private static readonly Dictionary<ReadPurpose, IReadOnlyList<string>> Table = new()
    {
        // The dossier's applicant: who they are, where they live, their household; the phone to reach them.
        [ReadPurpose.DossierProcessing] = F.InOrder([
            F.IdNumber, F.FullName, F.OtherNames, F.BirthDate, F.Gender, F.Ethnicity, F.Religion, F.Nationality, F.Hometown,
            F.PermanentResidence, F.TemporaryResidence, F.CurrentResidence, F.HouseholdId, F.RelationToHead, F.Phone, F.Status,
        ]),

        // Is this the person in front of me: identity fields only, no addresses or family.
        [ReadPurpose.IdentityVerification] = F.InOrder([F.IdNumber, F.FullName, F.OtherNames, F.BirthDate, F.Gender, F.Nationality, F.Status]),

        // What is printed on or checked for a card: identity, origin, parents and spouse, earlier cards.
        [ReadPurpose.CardIssuance] = F.InOrder([
            F.IdNumber, F.FullName, F.OtherNames, F.BirthDate, F.Gender, F.Ethnicity, F.Religion, F.Nationality, F.BirthRegistrationPlace,
            F.Hometown, F.PermanentResidence, F.CurrentResidence, F.FatherIdNumber, F.MotherIdNumber, F.SpouseIdNumber, F.Status,
            F.OldIdNumbers, F.Documents,
        ]),

        // Residence and household, nothing about cards or religion.
        [ReadPurpose.ResidenceManagement] = F.InOrder([
            F.IdNumber, F.FullName, F.BirthDate, F.Gender, F.PermanentResidence, F.TemporaryResidence, F.CurrentResidence,
            F.HouseholdId, F.RelationToHead, F.Status,
        ]),

        [ReadPurpose.InformationExtraction] = F.All,
        [ReadPurpose.SelfService] = F.All,

        // What a dossier declares about a person (the auditor reads the dossier, not the registry).
        [ReadPurpose.Audit] = F.InOrder([F.IdNumber, F.FullName, F.BirthDate, F.Gender, F.PermanentResidence, F.FatherIdNumber, F.MotherIdNumber, F.Phone]),
    };

    /// <summary>The fields <paramref name="purpose"/> allows.</summary>
    public static IReadOnlyList<string> For(ReadPurpose purpose)
        => Table.TryGetValue(purpose, out var fields) ? fields : [];

    /// <summary>
    /// The purposes an official may state for a lookup or search. Extraction goes through its own
    /// rpc (it names its fields and its legal basis); self-service is the citizen's own.
    /// </summary>
    public static bool AllowsLookup(ReadPurpose purpose)
        => purpose is ReadPurpose.DossierProcessing or ReadPurpose.IdentityVerification
            or ReadPurpose.CardIssuance or ReadPurpose.ResidenceManagement;
}
