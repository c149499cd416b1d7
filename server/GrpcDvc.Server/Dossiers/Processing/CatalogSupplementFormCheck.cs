using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>A supplement's merged form judged by the procedure's form in the catalog, as on the day of the supplement.</summary>
public sealed class CatalogSupplementFormCheck(DossierForms forms, TimeProvider time) : ISupplementFormCheck
{
    public async Task<IReadOnlyList<FieldViolation>> CheckAsync(string procedureCode, IReadOnlyDictionary<string, string> merged, CancellationToken cancellationToken)
        => await forms.JudgeAsync(procedureCode, VietnamTime.DateOf(time.GetUtcNow()), merged, cancellationToken) is { } judged ? judged.Problems : [];
}
