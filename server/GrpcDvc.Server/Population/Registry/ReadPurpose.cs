namespace GrpcDvc.Server.Population.Registry;

/// <summary>
/// Why a citizen's data is read. The numbers are those of dvc.population.v1.AccessPurpose and
/// are what the access log stores: never renumber.
/// </summary>
public enum ReadPurpose
{
    /// <summary>Handling a dossier; the reference is the dossier code.</summary>
    DossierProcessing = 1,

    /// <summary>Checking who a person is at intake.</summary>
    IdentityVerification = 2,

    /// <summary>Issuing, renewing or re-issuing an identity card.</summary>
    CardIssuance = 3,

    /// <summary>Residence registration and confirmation.</summary>
    ResidenceManagement = 4,

    /// <summary>A DC02 extraction request: the fields are the ones requested.</summary>
    InformationExtraction = 5,

    /// <summary>The citizen reading their own data.</summary>
    SelfService = 6,

    /// <summary>An auditor reading a dossier (the declared data in it); the reference is the dossier code.</summary>
    Audit = 7,
}
