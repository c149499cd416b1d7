using System.Text.RegularExpressions;
using GrpcDvc.Server.Errors;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// The seam where a supplement's form changes are checked against the procedure's form. The
/// forms-as-data validator (Catalog/Forms, another branch) is to be plugged in here: register an
/// implementation before AddDossiers and it replaces <see cref="BoundedFormChanges"/>. Whatever the
/// implementation, the merged form (the dossier's form with the changes laid over it) is what it judges.
/// </summary>
public interface ISupplementFormCheck
{
    /// <summary>Field violations (fields named "form[key]") of <paramref name="merged"/>, the form as it would be after the supplement.</summary>
    Task<IReadOnlyList<FieldViolation>> CheckAsync(string procedureCode, IReadOnlyDictionary<string, string> merged, CancellationToken cancellationToken);
}

/// <summary>
/// The check until the forms-as-data validator arrives: only the bounds every form keeps (at most
/// <see cref="ProcessingInput.MaxFormKeys"/> keys in snake_case, each value at most
/// <see cref="ProcessingInput.MaxFormValueLength"/> characters). No field of the law's forms is guessed here.
/// </summary>
public sealed partial class BoundedFormChanges : ISupplementFormCheck
{
    public Task<IReadOnlyList<FieldViolation>> CheckAsync(string procedureCode, IReadOnlyDictionary<string, string> merged, CancellationToken cancellationToken)
    {
        var violations = new List<FieldViolation>();
        Check(merged, violations);
        return Task.FromResult<IReadOnlyList<FieldViolation>>(violations);
    }

    /// <summary>The bounds of a form map (also applied to the request's changes before anything is read).</summary>
    public static void Check(IReadOnlyDictionary<string, string> form, List<FieldViolation> violations)
    {
        if (form.Count > ProcessingInput.MaxFormKeys)
        {
            violations.Add(new FieldViolation("form", $"A form has at most {ProcessingInput.MaxFormKeys} fields.", "TOO_MANY"));
            return;
        }

        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key.Length > ProcessingInput.MaxFormKeyLength || !FormKey().IsMatch(key))
            {
                violations.Add(new FieldViolation("form", $"A field key is snake_case, at most {ProcessingInput.MaxFormKeyLength} characters.", "FORM_KEY_INVALID"));
                continue;
            }

            ProcessingInput.Text(value, $"form[{key}]", ProcessingInput.MaxFormValueLength, violations);
        }
    }

    // \z, not $: $ also matches before a final line break, and "name\n" is not a key.
    [GeneratedRegex(@"^[a-z][a-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex FormKey();
}
