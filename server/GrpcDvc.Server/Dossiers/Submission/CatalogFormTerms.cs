namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary><see cref="ISubmissionTerms"/> over the catalog's forms as data and dated terms (<see cref="DossierForms"/>).</summary>
public sealed class CatalogFormTerms(DossierForms forms) : ISubmissionTerms
{
    public async Task<SubmissionTerms?> ForAsync(string procedureCode, DateOnly onDate, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
        => await forms.JudgeAsync(procedureCode, onDate, form, cancellationToken) is { } judged
            ? new SubmissionTerms(judged.Problems, DossierForms.TimeOf(procedureCode, judged.Terms.Time))
            : null;
}
