using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Population.Registry;
using F = GrpcDvc.Server.Population.Registry.CitizenFields;

namespace GrpcDvc.Server.Population;

/// <summary>The rpcs that answer with a document or a check: each reads the fields its form shows, no more.</summary>
public sealed partial class PopulationGrpcService
{
    private static readonly IReadOnlyList<string> ConfirmationFields = F.InOrder([F.IdNumber, F.FullName, F.BirthDate, F.OldIdNumbers]);
    private static readonly IReadOnlyList<string> NotificationFields = F.InOrder([F.IdNumber, F.FullName, F.BirthDate, F.Gender, F.BirthRegistrationPlace, F.PermanentResidence]);
    private static readonly IReadOnlyList<string> ResidenceFields =
        F.InOrder([F.IdNumber, F.FullName, F.BirthDate, F.Gender, F.HouseholdId, F.RelationToHead, F.PermanentResidence, F.TemporaryResidence]);

    public override async Task<VerifyDeclarationResponse> VerifyDeclaration(VerifyDeclarationRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var declaration = request.Declaration ?? new Declaration();
        var dateViolations = new List<FieldViolation>();
        var declared = DeclarationMapping.ToDomain(dateViolations, declaration);
        // A declaration whose number contradicts its own birth date or gender is wrong before any record is read.
        PopulationRequestRules.IdNumber(violations, declaration.IdNumber, "declaration.id_number", declared.BirthDate, declared.Gender);
        violations.AddRange(dateViolations);
        var purpose = PopulationRequestRules.Purpose(violations, request.Access, _ => true);
        PopulationRequestRules.ThrowIfAny(violations, "The declaration cannot be checked.");

        var ct = context.CancellationToken;
        var checkedFields = F.InOrder(DeclarationCheck.Run(declared, null).Select(c => DeclarationMapping.CitizenField(c.Field)));
        var record = await reads.ReadOneAsync(Read(context, purpose!), declaration.IdNumber,
            () => store.FindAsync(declaration.IdNumber, CitizenPartsFor.Fields(checkedFields), ct), checkedFields, ct);
        var checks = DeclarationCheck.Run(declared, record);
        return new VerifyDeclarationResponse
        {
            RecordFound = record is not null,
            Checks = { checks.Select(DeclarationMapping.ToMessage) },
            AllMatch = record is not null && checks.All(c => c.Result == CheckResult.Match),
        };
    }

    public override async Task<ConfirmIdNumbersResponse> ConfirmIdNumbers(ConfirmIdNumbersRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>(OldIdNumber.Validate(request.OldIdNumber, "old_id_number"));
        var purpose = PopulationRequestRules.Purpose(violations, request.Access, _ => true);
        PopulationRequestRules.ThrowIfAny(violations, "The confirmation request is invalid.");

        var ct = context.CancellationToken;
        var record = await reads.ReadOneAsync(Read(context, purpose!, subjectIsIdNumber: false), request.OldIdNumber,
            () => store.FindByOldNumberAsync(request.OldIdNumber, CitizenPartsFor.Fields(ConfirmationFields), ct), ConfirmationFields, ct);
        var response = new ConfirmIdNumbersResponse { Found = record is not null, OldIdNumber = request.OldIdNumber, ConfirmedAt = Now() };
        if (record is not null)
        {
            response.CurrentIdNumber = record.IdNumber;
            response.FullName = record.Row.FullName;
            response.BirthDate = CitizenMapping.ToMessage(record.BirthDate);
        }

        return response;
    }

    public override async Task<GetPersonalIdNotificationResponse> GetPersonalIdNotification(GetPersonalIdNotificationRequest request, ServerCallContext context)
    {
        var record = await ReadDocumentAsync(request.IdNumber, request.Access, NotificationFields, CitizenParts.None, context);
        return new GetPersonalIdNotificationResponse
        {
            IdNumber = record.IdNumber,
            FullName = record.Row.FullName,
            BirthDate = CitizenMapping.ToMessage(record.BirthDate),
            Gender = CitizenMapping.ToMessage(record.Row.Gender),
            BirthRegistrationPlace = CitizenMapping.ToMessage(record.BirthRegistrationPlace),
            PermanentResidence = CitizenMapping.ToMessage(record.PermanentResidence),
            IssuedAt = Now(),
        };
    }

    public override async Task<ConfirmResidenceResponse> ConfirmResidence(ConfirmResidenceRequest request, ServerCallContext context)
    {
        var record = await ReadDocumentAsync(request.IdNumber, request.Access, ResidenceFields, CitizenParts.ResidencePeriods, context);
        var issued = time.GetUtcNow();
        return new ConfirmResidenceResponse
        {
            IdNumber = record.IdNumber,
            FullName = record.Row.FullName,
            BirthDate = CitizenMapping.ToMessage(record.BirthDate),
            Gender = CitizenMapping.ToMessage(record.Row.Gender),
            HouseholdId = CitizenMapping.Text(record.Row.HouseholdId),
            RelationToHead = record.Row.RelationToHead?.ToString() ?? string.Empty,
            Periods = { record.Periods.Select(DeclarationMapping.ToMessage) },
            IssuedAt = Timestamp.FromDateTimeOffset(issued),
            ValidUntil = CitizenMapping.ToMessage(ResidenceConfirmation.ValidUntil(issued)),
        };
    }

    public override async Task<ExtractInformationResponse> ExtractInformation(ExtractInformationRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var ownData = caller.Kind == AccountKind.Citizen && caller.IdNumber == request.SubjectIdNumber;
        var violations = new List<FieldViolation>();
        PopulationRequestRules.IdNumber(violations, request.SubjectIdNumber, "subject_id_number");
        var fields = PopulationRequestRules.ExtractionFields(violations, request.Fields);
        var purpose = PopulationRequestRules.Purpose(violations, request.Access,
            p => p == ReadPurpose.InformationExtraction || (ownData && p == ReadPurpose.SelfService));
        var consent = PopulationRequestRules.Blank(request.ConsentReference);
        if (!ownData && purpose?.LegalBasis is null && consent is null)
        {
            violations.Add(new FieldViolation("consent_reference",
                "Another person's data is extracted on a legal basis (access.legal_basis) or with their consent.", "LEGAL_BASIS_OR_CONSENT_REQUIRED"));
        }

        PopulationRequestRules.ThrowIfAny(violations, "The extraction request (DC02) is invalid.");
        var stated = purpose! with { LegalBasis = purpose.LegalBasis ?? (consent is null ? null : $"consent:{consent}") };
        var ct = context.CancellationToken;
        var record = await reads.ReadOneAsync(new ReadContext(caller, stated, context.Method, OwnRecordOnly: false), request.SubjectIdNumber,
            () => store.FindAsync(request.SubjectIdNumber, CitizenPartsFor.Fields(fields), ct), fields, ct)
            ?? throw PopulationErrors.CitizenNotFound(request.SubjectIdNumber);
        return new ExtractInformationResponse
        {
            Citizen = CitizenMapping.ToMessage(record, fields),
            FieldsReturned = { fields },
            Fee = new Money { Vnd = ExtractionFee.Vnd(fields.Count, ownData, stateBody: caller.Kind == AccountKind.Official) },
        };
    }

    /// <param name="parts">What the document shows beside the citizen's row (the residence confirmation: its periods).</param>
    private async Task<CitizenRecord> ReadDocumentAsync(
        string idNumber, AccessContext? access, IReadOnlyList<string> fields, CitizenParts parts, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        PopulationRequestRules.IdNumber(violations, idNumber, "id_number");
        var purpose = PopulationRequestRules.Purpose(violations, access, _ => true);
        PopulationRequestRules.ThrowIfAny(violations, "The document request is invalid.");

        var ct = context.CancellationToken;
        return await reads.ReadOneAsync(Read(context, purpose!), idNumber, () => store.FindAsync(idNumber, parts, ct), fields, ct)
            ?? throw PopulationErrors.CitizenNotFound(idNumber);
    }

    private Timestamp Now() => Timestamp.FromDateTimeOffset(time.GetUtcNow());
}
