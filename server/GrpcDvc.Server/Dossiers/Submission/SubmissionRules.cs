using System.Net.Mail;
using System.Text.Json;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Catalog;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// Checks a SubmitDossierRequest and gives every problem at once as field violations. Needs the
/// procedure (its allowed deliveries) and the administrative units (commune codes), both looked up
/// by the caller and passed in, so the rules stay plain.
/// </summary>
public static class SubmissionRules
{
    public const int MaxPeople = 20;
    public const int MaxRelationshipLength = 64;
    public const int MaxProcedureCodeLength = 32;
    public const int MaxEmailLength = 254;
    public const int MaxAddressDetailLength = 500;

    /// <summary>The request's id as stored (canonical UUID form), or null with a violation.</summary>
    public static string? RequestId(List<FieldViolation> violations, string value)
    {
        if (Guid.TryParse(value, out var id) && id != Guid.Empty)
        {
            return id.ToString("D");
        }

        violations.Add(new FieldViolation("request_id", "A client request id (a UUID) is required: a retry with it returns the first answer.", "REQUEST_ID_INVALID"));
        return null;
    }

    /// <summary>Whether the procedure code is well formed (so an unknown one is NOT_FOUND rather than invalid).</summary>
    public static bool ProcedureCode(List<FieldViolation> violations, string value)
    {
        if (value.Length is > 0 and <= MaxProcedureCodeLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            return true;
        }

        violations.Add(new FieldViolation("procedure_code", "A procedure code of the catalog (e.g. BCA-L4-03) is required.", "PROCEDURE_CODE_INVALID"));
        return false;
    }

    /// <summary>The applicant's declaration: valid, and the signed-in citizen's own ID number.</summary>
    public static Declared? Applicant(List<FieldViolation> violations, Contracts.Population.V1.Declaration? applicant, string callerIdNumber)
    {
        var declared = DeclarationRules.Read(violations, applicant, "applicant.");
        if (applicant is not null && applicant.IdNumber != callerIdNumber
            && !violations.Any(v => v.Field == "applicant.id_number"))
        {
            violations.Add(new FieldViolation("applicant.id_number", "The applicant is the signed-in citizen: their own ID number.", "NOT_OWN_ID_NUMBER"));
            return null;
        }

        return declared;
    }

    public static IReadOnlyList<(Declared Person, string Relationship)> People(
        List<FieldViolation> violations, IReadOnlyList<PersonConcerned> people, string applicantIdNumber)
    {
        if (people.Count > MaxPeople)
        {
            violations.Add(new FieldViolation("people", $"At most {MaxPeople} people concerned in one dossier.", "TOO_MANY_PEOPLE"));
            return [];
        }

        var result = new List<(Declared, string)>(people.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal) { applicantIdNumber };
        for (var i = 0; i < people.Count; i++)
        {
            var prefix = $"people[{i}].";
            var declared = DeclarationRules.Read(violations, people[i].Declaration, prefix + "declaration.");
            var relationship = people[i].Relationship.Trim();
            if (relationship.Length > MaxRelationshipLength || relationship.Any(char.IsControl))
            {
                violations.Add(new FieldViolation(prefix + "relationship", $"At most {MaxRelationshipLength} characters.", "RELATIONSHIP_INVALID"));
                continue;
            }

            if (declared is null)
            {
                continue;
            }

            if (!seen.Add(declared.Person.IdNumber))
            {
                violations.Add(new FieldViolation(prefix + "declaration.id_number", "The same person is named twice in the dossier.", "PERSON_DUPLICATE"));
                continue;
            }

            result.Add((declared, relationship));
        }

        return result;
    }

    /// <summary>The delivery choice, allowed by the procedure (null when unknown: then only its form is checked).</summary>
    public static DeliveryChoice? Delivery(List<FieldViolation> violations, ResultDelivery? delivery, ProcedureRecord? procedure, Func<string, AdministrativeUnitRow?> unit)
    {
        if (delivery is null || delivery.Method == DeliveryMethod.Unspecified)
        {
            violations.Add(new FieldViolation("delivery.method", "Choose how the result is delivered.", "REQUIRED"));
            return null;
        }

        if (!Enum.IsDefined((DeliveryKind)(int)delivery.Method))
        {
            violations.Add(new FieldViolation("delivery.method", "Not a delivery method.", "DELIVERY_METHOD_INVALID"));
            return null;
        }

        var kind = (DeliveryKind)(int)delivery.Method;
        var before = violations.Count;
        if (procedure is not null && !AllowedDeliveries(procedure).Contains(CatalogName(kind)))
        {
            violations.Add(new FieldViolation("delivery.method", $"{procedure.Code} does not deliver results this way.", "DELIVERY_METHOD_NOT_ALLOWED"));
        }

        string? email = null;
        if (kind == DeliveryKind.Email)
        {
            email = delivery.Email.Trim();
            if (email.Length is 0 or > MaxEmailLength || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            {
                violations.Add(new FieldViolation("delivery.email", "A valid e-mail address is required for delivery by e-mail.", "EMAIL_INVALID"));
            }
        }

        PostalDestination? postal = null;
        if (kind == DeliveryKind.Postal)
        {
            postal = Postal(violations, delivery.PostalAddress, unit);
        }

        return violations.Count > before ? null : new DeliveryChoice(kind, email, postal);
    }

    /// <summary>Whether the procedure is booked at a collection station: a level-3 identity-card procedure of the catalog.</summary>
    public static bool NeedsAppointment(ProcedureRecord procedure) => procedure is { ServiceLevel: 3, Field: "identity" };

    /// <summary>
    /// The appointment a level-3 identity-card dossier confirms (required for those, refused for any
    /// other); a station is named only with an appointment (the appointment's, checked later).
    /// </summary>
    public static Guid? Appointment(List<FieldViolation> violations, string appointmentId, string stationId, ProcedureRecord? procedure)
    {
        var needs = procedure is not null && NeedsAppointment(procedure);
        if (appointmentId.Length == 0)
        {
            if (needs)
            {
                violations.Add(new FieldViolation("appointment_id", $"{procedure!.Code} is collected at a station: book an appointment (BookAppointment) and give its id.", "APPOINTMENT_REQUIRED"));
            }
            else if (stationId.Length > 0)
            {
                violations.Add(new FieldViolation("station_id", "Only identity-card procedures collected at a station take a station, through their appointment.", "STATION_NOT_AVAILABLE"));
            }

            return null;
        }

        if (!Guid.TryParse(appointmentId, out var id) || id == Guid.Empty)
        {
            violations.Add(new FieldViolation("appointment_id", "An appointment id from BookAppointment is required.", "APPOINTMENT_ID_INVALID"));
            return null;
        }

        if (procedure is not null && !needs)
        {
            violations.Add(new FieldViolation("appointment_id", $"{procedure.Code} takes no appointment.", "APPOINTMENT_NOT_FOR_PROCEDURE"));
            return null;
        }

        return id;
    }

    /// <summary>A commune code: a known commune-level unit (merged-away ones included: routing follows their successor).</summary>
    public static AdministrativeUnitRow? Commune(List<FieldViolation> violations, string field, string? code, Func<string, AdministrativeUnitRow?> unit)
    {
        if (code is null)
        {
            return null;
        }

        var row = code.Length <= DeclarationRules.MaxCommuneCodeLength ? unit(code) : null;
        if (row is not { Level: AdministrativeLevel.Commune })
        {
            violations.Add(new FieldViolation(field, "Not the code of a commune (xã, phường) the registry knows.", "COMMUNE_UNKNOWN"));
            return null;
        }

        return row;
    }

    /// <summary>The delivery methods the catalog entry lists ("electronic", "postal", "in_person").</summary>
    public static IReadOnlyList<string> AllowedDeliveries(ProcedureRecord procedure)
        => JsonSerializer.Deserialize<ProcedureData>(procedure.DetailsJson, CatalogData.Json)?.ResultDelivery ?? [];

    /// <summary>Online and e-mail are both the electronic result the catalog lists.</summary>
    private static string CatalogName(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Online or DeliveryKind.Email => "electronic",
        DeliveryKind.Postal => "postal",
        _ => "in_person",
    };

    private static PostalDestination? Postal(List<FieldViolation> violations, PostalAddress? address, Func<string, AdministrativeUnitRow?> unit)
    {
        if (address is null)
        {
            violations.Add(new FieldViolation("delivery.postal_address", "A postal address is required for delivery by post.", "REQUIRED"));
            return null;
        }

        var before = violations.Count;
        var name = DeclarationRules.Blank(address.RecipientName);
        if (name is null || name.Length > DeclarationRules.MaxNameLength || name.Any(char.IsControl))
        {
            violations.Add(new FieldViolation("delivery.postal_address.recipient_name", $"The recipient's name is required, at most {DeclarationRules.MaxNameLength} characters.", "REQUIRED"));
        }

        if (!MobileNumber.TryNormalize(address.Phone, out var phone))
        {
            violations.Add(new FieldViolation("delivery.postal_address.phone", "A Vietnamese mobile number is required for the postman.", "PHONE_INVALID"));
        }

        var commune = DeclarationRules.Blank(address.CommuneCode);
        if (commune is null)
        {
            violations.Add(new FieldViolation("delivery.postal_address.commune_code", "The commune of the address is required.", "REQUIRED"));
        }
        else
        {
            Commune(violations, "delivery.postal_address.commune_code", commune, unit);
        }

        var detail = DeclarationRules.Blank(address.Detail);
        if (detail is null || detail.Length > MaxAddressDetailLength || detail.Any(char.IsControl))
        {
            violations.Add(new FieldViolation("delivery.postal_address.detail", $"House number and street are required, at most {MaxAddressDetailLength} characters.", "REQUIRED"));
        }

        return violations.Count > before ? null : new PostalDestination(name!, phone, commune!, detail!);
    }
}
