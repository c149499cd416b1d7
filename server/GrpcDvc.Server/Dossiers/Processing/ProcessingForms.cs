using System.Text.Json;
using GrpcDvc.Server.Catalog;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// Which paper form an answer of the unit is on, decided from the catalog: residence procedures
/// (field "residence") receive on CT04 and refuse on CT06 (Circular 66/2023/TT-BCA); identity-card
/// procedures (those whose forms include the card's CC01–CC03) give the CC02 appointment slip and
/// refuse on CC03; the result is the catalog's resultDocument.
/// Where the catalog names no form, the code is empty: no form is invented.
/// </summary>
public static class ProcessingForms
{
    public static string Receipt(ProcedureRecord procedure)
        => procedure.Field == "residence" ? "CT04" : IsIdentityCard(procedure) ? "CC02" : string.Empty;

    public static string Rejection(ProcedureRecord procedure)
        => procedure.Field == "residence" ? "CT06" : IsIdentityCard(procedure) ? "CC03" : string.Empty;

    public static string Result(ProcedureRecord procedure)
        => Data(procedure)?.ResultDocument is { Known: true, FormCode: { } code } ? code : string.Empty;

    private static bool IsIdentityCard(ProcedureRecord procedure)
        => procedure.Field == "identity" && (Data(procedure)?.Forms ?? []).Any(f => f is "CC01" or "CC02" or "CC03");

    private static ProcedureData? Data(ProcedureRecord procedure)
        => JsonSerializer.Deserialize<ProcedureData>(procedure.DetailsJson, CatalogData.Json);
}
