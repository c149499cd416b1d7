namespace GrpcDvc.Server.Catalog.Forms;

/// <summary>
/// One bad field of a filled form. <see cref="FieldKey"/> is the form's key, or
/// <see cref="FormValidator.WholeForm"/> (empty) when the problem is the set of values itself (too many).
/// </summary>
public sealed record FormProblem(string FieldKey, string Description)
{
    /// <summary>A stable code for the broken rule (<see cref="FormProblemReasons"/>), for a field violation's reason.</summary>
    public string Reason { get; init; } = FormProblemReasons.Invalid;
}

/// <summary>The rule a <see cref="FormProblem"/> breaks.</summary>
public static class FormProblemReasons
{
    public const string Invalid = "FORM_VALUE_INVALID";
    public const string Required = "FORM_VALUE_REQUIRED";
    public const string UnknownField = "FORM_FIELD_UNKNOWN";
    public const string BadKey = "FORM_FIELD_KEY_INVALID";
    public const string TooLong = "FORM_VALUE_TOO_LONG";
    public const string TooManyFields = "FORM_TOO_MANY_FIELDS";
    public const string Date = "FORM_VALUE_NOT_A_DATE";
    public const string IdNumber = "FORM_VALUE_NOT_AN_ID_NUMBER";
    public const string Phone = "FORM_VALUE_NOT_A_MOBILE_NUMBER";
    public const string Email = "FORM_VALUE_NOT_AN_EMAIL";
    public const string WholeNumber = "FORM_VALUE_NOT_AN_INTEGER";
    public const string OutOfRange = "FORM_VALUE_OUT_OF_RANGE";
    public const string NotAChoice = "FORM_VALUE_NOT_A_CHOICE";
    public const string ControlCharacters = "FORM_VALUE_CONTROL_CHARACTERS";
}
