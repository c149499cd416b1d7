using System.Globalization;
using System.Net.Mail;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Catalog.Forms;

/// <summary>
/// Checks a filled form against its definition, reporting one problem per bad field (the first
/// rule the field breaks) so a portal can mark every field at once.
/// A form whose fields are known takes only its own keys; a form whose fields the catalog does
/// not know (<see cref="FormDefinition.FieldsKnown"/> false) takes any snake_case keys, since
/// nothing says which are right, but still within bounds: at most <see cref="MaxFields"/> keys of
/// at most <see cref="MaxKeyLength"/> characters and values of at most <see cref="MaxValueLength"/>.
/// The bounds hold for known forms too; a field's own maximum can only be lower.
/// </summary>
public static class FormValidator
{
    /// <summary>The field key of a problem with the values as a whole.</summary>
    public const string WholeForm = "";

    public const int MaxFields = 50;
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 2_000;

    public static IReadOnlyList<FormProblem> Validate(FormDefinition form, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count > MaxFields)
        {
            // Past the bound nothing is read further: thousands of keys must not make thousands of problems.
            return [new FormProblem(WholeForm, $"A form takes at most {MaxFields} values; {values.Count} were given.") { Reason = FormProblemReasons.TooManyFields }];
        }

        var problems = new List<FormProblem>();
        var fields = form.FieldsKnown ? form.Fields.ToDictionary(f => f.Key, StringComparer.Ordinal) : null;
        foreach (var (key, value) in values)
        {
            if (!IsWellFormedKey(key))
            {
                problems.Add(new FormProblem(Shorten(key), $"A field key is snake_case ASCII of at most {MaxKeyLength} characters.") { Reason = FormProblemReasons.BadKey });
            }
            else if (fields is not null && !fields.ContainsKey(key))
            {
                problems.Add(new FormProblem(key, $"Form {form.Code} has no field '{key}'.") { Reason = FormProblemReasons.UnknownField });
            }
            else if (fields is null && BoundsProblem(key, value, MaxValueLength) is { } problem)
            {
                problems.Add(problem);
            }
        }

        foreach (var field in fields is null ? [] : form.Fields)
        {
            if (FieldProblem(field, values.GetValueOrDefault(field.Key), values) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    private static FormProblem? FieldProblem(FormField field, string? value, IReadOnlyDictionary<string, string> values)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (field.Required)
            {
                return new FormProblem(field.Key, $"'{field.LabelVi}' is required.") { Reason = FormProblemReasons.Required };
            }

            return field.RequiredWhen is { } when && values.GetValueOrDefault(when.Key) == when.Value
                ? new FormProblem(field.Key, $"'{field.LabelVi}' is required when '{when.Key}' is '{when.Value}'.") { Reason = FormProblemReasons.Required }
                : null;
        }

        var limit = Math.Min(field.MaxLength ?? MaxValueLength, MaxValueLength);
        return BoundsProblem(field.Key, value, limit) ?? TypeProblem(field, value);
    }

    private static FormProblem? BoundsProblem(string key, string value, int limit)
    {
        if (value.Length > limit)
        {
            return new FormProblem(key, $"At most {limit} characters; {value.Length} were given.") { Reason = FormProblemReasons.TooLong };
        }

        return value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            ? new FormProblem(key, "Control characters are not allowed.") { Reason = FormProblemReasons.ControlCharacters }
            : null;
    }

    private static FormProblem? TypeProblem(FormField field, string value)
    {
        var key = field.Key;
        switch (field.Type)
        {
            case FormFieldType.Date when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                return new FormProblem(key, "A date is written yyyy-MM-dd, e.g. 1990-05-17.") { Reason = FormProblemReasons.Date };
            case FormFieldType.IdNumber when !PersonalIdNumber.TryParse(value, out _, out var idProblem):
                return new FormProblem(key, idProblem.Description) { Reason = FormProblemReasons.IdNumber };
            case FormFieldType.Phone when !MobileNumber.TryNormalize(value, out _):
                return new FormProblem(key, "A Vietnamese mobile number: 0 and nine digits beginning 3, 5, 7, 8 or 9, or +84 and those nine digits.") { Reason = FormProblemReasons.Phone };
            case FormFieldType.Email when !IsEmail(value):
                return new FormProblem(key, "Not an e-mail address (name@domain).") { Reason = FormProblemReasons.Email };
            case FormFieldType.WholeNumber:
                return IntegerProblem(field, value);
            case FormFieldType.Choice when field.Choices is not { } choices || !choices.Contains(value, StringComparer.Ordinal):
                return new FormProblem(key, $"One of: {string.Join(", ", field.Choices ?? [])}.") { Reason = FormProblemReasons.NotAChoice };
            default:
                return null;
        }
    }

    private static FormProblem? IntegerProblem(FormField field, string value)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return new FormProblem(field.Key, "A whole number, digits only.") { Reason = FormProblemReasons.WholeNumber };
        }

        return number < field.Min || number > field.Max
            ? new FormProblem(field.Key, $"Between {field.Min?.ToString(CultureInfo.InvariantCulture) ?? "any"} and {field.Max?.ToString(CultureInfo.InvariantCulture) ?? "any"}.") { Reason = FormProblemReasons.OutOfRange }
            : null;
    }

    private static bool IsEmail(string value)
        => value.Length <= 254
            && !value.Any(char.IsWhiteSpace)
            && MailAddress.TryCreate(value, out var address)
            && address.Address == value
            && address.Host.Contains('.', StringComparison.Ordinal);

    private static bool IsWellFormedKey(string key)
        => key.Length is > 0 and <= MaxKeyLength
            && char.IsAsciiLetterLower(key[0])
            && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>A bad key is echoed in the problem, but never at any length.</summary>
    private static string Shorten(string key) => key.Length <= MaxKeyLength ? key : key[..MaxKeyLength];
}
