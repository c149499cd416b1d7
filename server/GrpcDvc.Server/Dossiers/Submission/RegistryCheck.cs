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
/// registry's audited read path (<see cref="CitizenReads"/>): all of them read in one command, each
/// read with its stated purpose and its access-log entry, and only the fields declared (plus the
/// applicant's permanent residence when routing needs it). A declared field that differs from the
/// record, or a person the registry does not hold, refuses the submission with FAILED_PRECONDITION
/// naming the fields: the citizen has the record corrected at the commune police first (seed 003).
/// A field the record holds no value for is not a difference.
/// The entries are committed before any answer decided on the records leaves: with the refusal's
/// answer through the access-log writer, and on success with the dossier in its transaction (the
/// submission adds them there; see <see cref="RegistryOutcome.Reads"/>).
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
    /// <returns>The outcome, whose <see cref="RegistryOutcome.Reads"/> entries the caller still has to commit before it answers.</returns>
    public async Task<RegistryOutcome> RunAsync(
        CallerIdentity caller, string rpc, string requestId, Declared applicant, IReadOnlyList<(Declared Person, string Relationship)> people,
        bool absentPeopleAllowed, bool applicantResidence, CancellationToken cancellationToken)
    {
        var purpose = new StatedPurpose(ReadPurpose.IdentityVerification, $"submission {requestId}", null);
        // The citizen submits for household members: reads of others' records, on the dossier's behalf.
        CheckedSubject[] subjects = [
            new(applicant.Data.IdNumber, FieldsOf(applicant.Data, applicantResidence), OwnRecordOnly: true),
            .. people.Select(p => new CheckedSubject(p.Person.Data.IdNumber, FieldsOf(p.Person.Data, false), OwnRecordOnly: false))];
        var parts = CitizenPartsFor.Fields(subjects.SelectMany(s => s.Fields));
        var checkedReads = await reads.ReadForCheckAsync(caller, purpose, rpc, subjects, ids => store.FindManyAsync(ids, parts, cancellationToken), cancellationToken);

        var problems = new List<PreconditionFailure.Types.Violation>();
        var applicantRecord = checkedReads.Find(applicant.Data.IdNumber);
        Compare(problems, "applicant.", applicant.Data, applicantRecord, absentAllowed: false);
        var everyoneFound = true;
        for (var i = 0; i < people.Count; i++)
        {
            var record = checkedReads.Find(people[i].Person.Data.IdNumber);
            everyoneFound &= record is not null;
            Compare(problems, $"people[{i}].declaration.", people[i].Person.Data, record, absentPeopleAllowed);
        }

        if (problems.Count > 0)
        {
            // The field names tell what the registry holds: the reads are logged before they leave.
            await checkedReads.LogAsync(cancellationToken);
            throw Mismatch(problems);
        }

        return new RegistryOutcome(everyoneFound, applicantRecord!.Row.PermanentUnitId, checkedReads);
    }

    private static IReadOnlyList<string> FieldsOf(DeclaredData declared, bool withResidence)
    {
        var fields = DeclarationCheck.Run(declared, null).Select(c => DeclarationMapping.CitizenField(c.Field));
        return F.InOrder(withResidence ? fields.Append(F.PermanentResidence) : fields);
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
/// <param name="Reads">The reads, their access-log entries not yet committed: with the dossier, or through the writer on any other way out.</param>
public sealed record RegistryOutcome(bool EveryoneFound, int ApplicantPermanentUnitId, CheckedReads Reads);
