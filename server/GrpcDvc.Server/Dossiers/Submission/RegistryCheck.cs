using Google.Rpc;
using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Registry;
using F = GrpcDvc.Server.Population.Registry.CitizenFields;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>
/// The declared data of everyone a dossier names against the population registry, through the
/// registry's one audited read path (<see cref="CitizenReads"/>, as VerifyDeclaration): each person's
/// read states its purpose and writes its access-log entry, and reads only the fields declared
/// (plus the applicant's permanent residence when routing needs it). A declared field that differs
/// from the record, or a person the registry does not hold, refuses the submission with
/// FAILED_PRECONDITION naming the fields: the citizen has the record corrected at the commune police
/// first (seed 003). A field the record holds no value for is not a difference.
/// </summary>
public sealed class RegistryCheck(CitizenReads reads, PopulationStore store)
{
    public const string MismatchReason = "REGISTRY_MISMATCH";
    public const string NotFoundType = "NOT_IN_REGISTRY";

    private const string MessageEn = "Your declared data differs from the national population database: have it corrected at the commune police first.";
    private const string MessageVi = "Thông tin khai báo không khớp với Cơ sở dữ liệu quốc gia về dân cư: đề nghị công dân đến Công an cấp xã để điều chỉnh thông tin.";

    /// <param name="absentPeopleAllowed">
    /// The procedure's time depends on whether the people are in the database (L4-08, L4-09): a person
    /// concerned the registry does not hold is then what the procedure is for, not a refusal.
    /// </param>
    /// <param name="applicantResidence">Read the applicant's permanent residence too (routing without a commune code).</param>
    public async Task<RegistryOutcome> RunAsync(
        CallerIdentity caller, string rpc, string requestId, Declared applicant, IReadOnlyList<(Declared Person, string Relationship)> people,
        bool absentPeopleAllowed, bool applicantResidence, CancellationToken cancellationToken)
    {
        var purpose = new StatedPurpose(ReadPurpose.IdentityVerification, $"submission {requestId}", null);
        var problems = new List<PreconditionFailure.Types.Violation>();
        var everyoneFound = true;

        var applicantRecord = await ReadAsync(new ReadContext(caller, purpose, rpc), applicant.Data, applicantResidence, cancellationToken);
        Compare(problems, "applicant.", applicant.Data, applicantRecord, absentAllowed: false);
        for (var i = 0; i < people.Count; i++)
        {
            // The citizen submits for household members: a read of another's record, on the dossier's behalf.
            var record = await ReadAsync(new ReadContext(caller, purpose, rpc, OwnRecordOnly: false), people[i].Person.Data, false, cancellationToken);
            everyoneFound &= record is not null;
            Compare(problems, $"people[{i}].declaration.", people[i].Person.Data, record, absentPeopleAllowed);
        }

        if (problems.Count > 0)
        {
            throw Mismatch(problems);
        }

        return new RegistryOutcome(everyoneFound, applicantRecord!.Row.PermanentUnitId);
    }

    private async Task<CitizenRecord?> ReadAsync(ReadContext read, DeclaredData declared, bool withResidence, CancellationToken cancellationToken)
    {
        var fields = DeclarationCheck.Run(declared, null).Select(c => DeclarationMapping.CitizenField(c.Field));
        var checkedFields = F.InOrder(withResidence ? fields.Append(F.PermanentResidence) : fields);
        return await reads.ReadOneAsync(read, declared.IdNumber,
            () => store.FindAsync(declared.IdNumber, CitizenPartsFor.Fields(checkedFields), cancellationToken), checkedFields, cancellationToken);
    }

    private static void Compare(List<PreconditionFailure.Types.Violation> problems, string prefix, DeclaredData declared, CitizenRecord? record, bool absentAllowed)
    {
        if (record is null)
        {
            if (!absentAllowed)
            {
                problems.Add(new() { Type = NotFoundType, Subject = prefix + "id_number", Description = "No citizen in the population database has this ID number." });
            }

            return;
        }

        foreach (var check in DeclarationCheck.Run(declared, record).Where(c => c.Result == CheckResult.Mismatch))
        {
            problems.Add(new() { Type = MismatchReason, Subject = prefix + check.Field, Description = "Differs from the population database." });
        }
    }

    private static RpcException Mismatch(List<PreconditionFailure.Types.Violation> problems)
        => RpcErrors.Create(StatusCode.FailedPrecondition, $"{MessageEn} {MessageVi}",
            new PreconditionFailure { Violations = { problems.Take(RpcErrors.MaxFieldViolations) } },
            new LocalizedMessage { Locale = "vi-VN", Message = MessageVi },
            RpcErrors.Reason(MismatchReason));
}

/// <param name="EveryoneFound">Every person concerned is in the registry (it picks the time of L4-08 and L4-09).</param>
/// <param name="ApplicantPermanentUnitId">The applicant's permanent residence as the registry holds it.</param>
public sealed record RegistryOutcome(bool EveryoneFound, int ApplicantPermanentUnitId);
