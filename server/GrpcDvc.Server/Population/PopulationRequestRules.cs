using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population.Registry;
using Proto = GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Server.Population;

/// <summary>Checks of registry requests, giving every broken rule at once as field violations.</summary>
public static class PopulationRequestRules
{
    public const string PurposeRequired = "PURPOSE_REQUIRED";
    public const string PurposeNotAllowed = "PURPOSE_NOT_ALLOWED";
    public const string ReferenceRequired = "REFERENCE_REQUIRED";
    public const string UnknownField = "UNKNOWN_FIELD";
    public const string Required = "REQUIRED";

    /// <summary>The number's form (length, digits, province code): the violation names the rule it breaks.</summary>
    public static void IdNumber(List<FieldViolation> violations, string value, string field)
        => IdNumber(violations, value, field, null, null);

    /// <summary>The number's form, then its fit with the birth date and gender stated beside it (digit 4, digits 5–6).</summary>
    public static void IdNumber(List<FieldViolation> violations, string value, string field, BirthDate? birthDate, Gender? gender)
        => violations.AddRange(PersonalIdNumber.Validate(value, birthDate, gender, field));

    /// <summary>
    /// The stated purpose: required; a dossier read names the dossier. <paramref name="allowed"/>
    /// limits the purposes this rpc accepts (lookups: the officials' purposes; extraction: extraction).
    /// </summary>
    public static StatedPurpose? Purpose(List<FieldViolation> violations, Proto.AccessContext? access, Func<ReadPurpose, bool> allowed)
    {
        var value = (int)(access?.Purpose ?? Proto.AccessPurpose.Unspecified);
        if (value == 0)
        {
            violations.Add(new FieldViolation("access.purpose", "Every read of a citizen's data states its purpose.", PurposeRequired));
            return null;
        }

        if (!Enum.IsDefined((ReadPurpose)value) || !allowed((ReadPurpose)value))
        {
            violations.Add(new FieldViolation("access.purpose", $"{access!.Purpose} is not a purpose this rpc serves.", PurposeNotAllowed));
            return null;
        }

        var purpose = (ReadPurpose)value;
        var reference = Blank(access!.Reference);
        if (purpose == ReadPurpose.DossierProcessing && reference is null)
        {
            violations.Add(new FieldViolation("access.reference", "A read for a dossier names the dossier code.", ReferenceRequired));
        }

        return new StatedPurpose(purpose, reference, Blank(access.LegalBasis));
    }

    /// <summary>Requested extraction fields: at least one, each a citizen field name.</summary>
    public static IReadOnlyList<string> ExtractionFields(List<FieldViolation> violations, IReadOnlyList<string> fields)
    {
        if (fields.Count == 0)
        {
            violations.Add(new FieldViolation("fields", "Name at least one field to extract.", Required));
        }

        for (var i = 0; i < fields.Count; i++)
        {
            if (!CitizenFields.IsKnown(fields[i]))
            {
                violations.Add(new FieldViolation($"fields[{i}]", $"'{fields[i]}' is not a citizen field.", UnknownField));
            }
        }

        return CitizenFields.InOrder(fields);
    }

    public static void ThrowIfAny(List<FieldViolation> violations, string message)
    {
        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument(message, [.. violations]);
        }
    }

    public static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
