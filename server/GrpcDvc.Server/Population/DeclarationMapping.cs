using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population.Registry;
using Proto = GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Server.Population;

/// <summary>Declarations, checks and residence periods between the contract and the registry's types.</summary>
public static class DeclarationMapping
{
    private const string CommuneCodeField = "permanent_residence_commune_code";

    /// <summary>The declared data; unset fields stay null and are not checked.</summary>
    public static DeclaredData ToDomain(List<FieldViolation> violations, Proto.Declaration declaration)
    {
        BirthDate? birthDate = null;
        if (declaration.BirthDate is { } date)
        {
            int? month = date.Month == 0 ? null : date.Month;
            int? day = date.Day == 0 ? null : date.Day;
            if (BirthDate.TryCreate(date.Year, month, day, out var parsed, out var error))
            {
                birthDate = parsed;
            }
            else
            {
                violations.Add(new FieldViolation("declaration.birth_date", error, "INVALID_DATE"));
            }
        }

        Gender? gender = declaration.Gender switch
        {
            Proto.Gender.Male => Gender.Male,
            Proto.Gender.Female => Gender.Female,
            _ => null,
        };
        return new DeclaredData(
            declaration.IdNumber,
            PopulationRequestRules.Blank(declaration.FullName),
            birthDate,
            gender,
            PopulationRequestRules.Blank(declaration.PermanentResidenceCommuneCode),
            PopulationRequestRules.Blank(declaration.FatherIdNumber),
            PopulationRequestRules.Blank(declaration.MotherIdNumber),
            PopulationRequestRules.Blank(declaration.Phone));
    }

    /// <summary>The citizen field a check reads (for the access log).</summary>
    public static string CitizenField(string checkField)
        => checkField == CommuneCodeField ? CitizenFields.PermanentResidence : checkField;

    public static Proto.FieldCheck ToMessage(FieldCheck check) => new()
    {
        Field = check.Field,
        Result = check.Result switch
        {
            CheckResult.Match => Proto.FieldCheck.Types.Result.Match,
            CheckResult.Mismatch => Proto.FieldCheck.Types.Result.Mismatch,
            _ => Proto.FieldCheck.Types.Result.Missing,
        },
    };

    public static Proto.ResidencePeriod ToMessage(ResidencePeriod period) => new()
    {
        Kind = period.Kind == ResidenceKind.Permanent ? Proto.ResidencePeriod.Types.Kind.Permanent : Proto.ResidencePeriod.Types.Kind.Temporary,
        Address = CitizenMapping.ToMessage(period.Place),
        From = CitizenMapping.ToMessage(period.From),
        Until = period.Until is { } until ? CitizenMapping.ToMessage(until) : null,
    };
}
