using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Dossiers.Attachments;
using GrpcDvc.Server.Dossiers.Processing.Registry;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Storage;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>
/// The state machine's business calls: each validates its input, then <see cref="DossierChangeRunner"/>
/// checks who may make it and whether the dossier allows it, and this class says what the change
/// writes besides the status and the event (receipt, supplement request and clock stop, rejection,
/// result and the registry's effect).
/// </summary>
public sealed class DossierProcessing(
    DossierChangeRunner runner, DvcDbContext db, TimeProvider time, DossierDeadline deadline, RegistryEffects effects, ISupplementFormCheck formCheck,
    IDossierEndings endings)
{
    public async Task<ReceiveDossierResponse> ReceiveAsync(ReceiveDossierRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(request.RequestId, request.Code, request.ExpectedVersion, violations);
        var appointment = ProcessingInput.Appointment(request.AppointmentAt, time.GetUtcNow(), violations);
        ProcessingInput.ThrowIfAny(violations, "ReceiveDossier");
        var outcome = await ReceiveAsync(target, appointment, context, _ => Task.CompletedTask);
        return new ReceiveDossierResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>
    /// The receipt (tiếp nhận) as ReceiveDossier makes it, for a capability above dossiers that receives a
    /// dossier as part of its own change (an appointment collected at the station): <paramref name="alsoInTransaction"/>
    /// runs inside the change's transaction, after the checks and before the event is appended, so its writes
    /// commit with the RECEIVE event or not at all; a retry with the same request id returns the first answer
    /// and does not run it. The caller validated <paramref name="target"/> (<see cref="ProcessingInput.Target"/>).
    /// </summary>
    public Task<ChangeOutcome> ReceiveAsync(ChangeTarget target, DateTimeOffset? appointmentAt, ServerCallContext context, Func<DossierChange, Task> alsoInTransaction)
        => runner.RunAsync(target, DossierAction.Receive, context, async change =>
        {
            await alsoInTransaction(change);
            change.Details = change.Details with
            {
                Receipt = new ReceiptDetails(ProcessingForms.Receipt(change.Procedure), change.Now, change.Actor.Name, appointmentAt),
            };
        });

    public async Task<StartProcessingResponse> StartProcessingAsync(StartProcessingRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(request.RequestId, request.Code, request.ExpectedVersion, violations);
        ProcessingInput.ThrowIfAny(violations, "StartProcessing");
        var outcome = await runner.RunAsync(target, DossierAction.StartProcessing, context, _ => Task.CompletedTask);
        return new StartProcessingResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>Yêu cầu bổ sung (CT05): the clock stops until the citizen supplements; the supplement returns the dossier where it was.</summary>
    public async Task<RequestSupplementResponse> RequestSupplementAsync(RequestSupplementRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(request.RequestId, request.Code, request.ExpectedVersion, violations);
        var reason = ProcessingInput.Reason(request.Reason, "reason", required: true, violations);
        var documents = ProcessingInput.Documents(request.DocumentsToAdd, "documents_to_add", violations);
        ProcessingInput.ThrowIfAny(violations, "RequestSupplement");
        var outcome = await runner.RunAsync(target, DossierAction.RequestSupplement, context, change =>
        {
            change.Row.ResumeStatus = DossierStatuses.Code(change.From);
            var stops = ClockStops.Parse(change.Row.ClockStops);
            stops.Open(change.Now);
            change.Row.ClockStops = stops.ToJson();
            change.Details = change.Details with { SupplementRequest = new SupplementDetails(reason!, documents, change.Now) };
            (change.Reason, change.Documents) = (reason, documents);
            return Task.CompletedTask;
        });
        return new RequestSupplementResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>Bổ sung hồ sơ: takes up the new attachments, lays the form changes over the form, runs the clock again and moves the due date by the wait.</summary>
    public async Task<SupplementDossierResponse> SupplementAsync(SupplementDossierRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(request.RequestId, request.Code, request.ExpectedVersion, violations);
        var note = ProcessingInput.Reason(request.Note, "note", required: false, violations);
        var formChanges = request.Form.ToDictionary(StringComparer.Ordinal);
        BoundedFormChanges.Check(formChanges, violations);
        if (request.AttachmentIds.Count > ProcessingInput.MaxAttachments)
        {
            violations.Add(new FieldViolation("attachment_ids", $"At most {ProcessingInput.MaxAttachments} attachments.", "TOO_MANY"));
        }

        if (request.AttachmentIds.Count == 0 && formChanges.Count == 0)
        {
            violations.Add(new FieldViolation("attachment_ids", "A supplement adds documents (attachment ids) or corrects the form.", "REQUIRED"));
        }

        ProcessingInput.ThrowIfAny(violations, "SupplementDossier");
        var ids = request.AttachmentIds.ToList();
        var outcome = await runner.RunAsync(target, DossierAction.Supplement, context, async change =>
        {
            var cancellationToken = context.CancellationToken;
            var merged = new Dictionary<string, string>(change.Details.Form, StringComparer.Ordinal);
            foreach (var (key, value) in formChanges)
            {
                merged[key] = value;
            }

            var problems = new List<FieldViolation>(await formCheck.CheckAsync(change.Row.ProcedureCode, merged, cancellationToken));
            var (claimed, claimProblems) = await AttachmentClaims.ClaimAsync(db, change.Row.ApplicantAccountId, change.Row.Id, ids, "attachment_ids", cancellationToken);
            problems.AddRange(claimProblems);
            ProcessingInput.ThrowIfAny(problems, "SupplementDossier");

            var stops = ClockStops.Parse(change.Row.ClockStops);
            var waited = stops.Close(change.Now);
            change.Row.ClockStops = stops.ToJson();
            change.Row.ResumeStatus = null;
            change.Row.DueAt = await deadline.RecomputeAsync(change.Row, change.Procedure, stops.Closed(), waited, cancellationToken);
            if (change.Row.DueAt is { } due && due > change.Now)
            {
                // No longer late: the wait for the citizen was not the unit's time.
                change.Row.OverdueAt = null;
            }

            change.Details = change.Details with
            {
                Form = merged,
                AttachmentIds = [.. change.Details.AttachmentIds.Concat(claimed.Select(a => a.Id)).Distinct()],
            };
            (change.Reason, change.Documents) = (note, [.. claimed.Select(a => a.DocumentName)]);
        });
        return new SupplementDossierResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>Từ chối (CT06 / CC03): ends the dossier with a specific reason and the documents the citizen would have to add.</summary>
    public async Task<RejectDossierResponse> RejectAsync(RejectDossierRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(request.RequestId, request.Code, request.ExpectedVersion, violations);
        var reason = ProcessingInput.Reason(request.Reason, "reason", required: true, violations);
        var documents = ProcessingInput.Documents(request.DocumentsToAdd, "documents_to_add", violations);
        ProcessingInput.ThrowIfAny(violations, "RejectDossier");
        var outcome = await runner.RunAsync(target, DossierAction.Reject, context, async change =>
        {
            // Refused before its collection: an appointment's place goes back to the station's pool.
            await endings.EndedAsync(db, change.Row.Id, change.Now, context.CancellationToken);
            // Refused while waiting for the citizen: the wait ends here.
            var stops = ClockStops.Parse(change.Row.ClockStops);
            stops.Close(change.Now);
            change.Row.ClockStops = stops.ToJson();
            change.Row.ResumeStatus = null;
            change.Details = change.Details with
            {
                Rejection = new RejectionDetails(reason!, documents, change.Now, ProcessingForms.Rejection(change.Procedure)),
            };
            (change.Reason, change.Documents) = (reason, documents);
        });
        return new RejectDossierResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    public async Task<ApproveDossierResponse> ApproveAsync(ApproveDossierRequest request, ServerCallContext context)
    {
        var outcome = await NoteOnlyAsync(request.RequestId, request.Code, request.ExpectedVersion, request.Note, "note", "ApproveDossier", DossierAction.Approve, context);
        return new ApproveDossierResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>Có kết quả: the result document, and the procedure's effect on the population registry in the same transaction.</summary>
    public async Task<IssueResultResponse> IssueResultAsync(IssueResultRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(request.RequestId, request.Code, request.ExpectedVersion, violations);
        var number = request.DocumentNumber.Trim();
        if (number.Length == 0)
        {
            violations.Add(new FieldViolation("document_number", "Required: the number the unit gave the result document.", "REQUIRED"));
        }
        else if (number.Contains('\n', StringComparison.Ordinal))
        {
            violations.Add(new FieldViolation("document_number", "One line.", "INVALID_CHARACTERS"));
        }
        else
        {
            ProcessingInput.Text(number, "document_number", ProcessingInput.MaxDocumentNumberLength, violations);
        }

        var summary = ProcessingInput.Reason(request.Summary, "summary", required: false, violations) ?? string.Empty;
        ProcessingInput.ThrowIfAny(violations, "IssueResult");
        var outcome = await runner.RunAsync(target, DossierAction.IssueResult, context, async change =>
        {
            change.Details = change.Details with
            {
                Result = new ResultDetails(ProcessingForms.Result(change.Procedure), number, summary, change.Now, null),
            };
            change.Reason = summary.Length > 0 ? summary : null;
            change.Documents = [$"{change.Details.Result!.FormCode} {number}".Trim()];
            await effects.ApplyAsync(new RegistryEffectContext(db, change.Row, change.Details, change.Now), context.CancellationToken);
        });
        return new IssueResultResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    public async Task<ReturnResultResponse> ReturnResultAsync(ReturnResultRequest request, ServerCallContext context)
    {
        var outcome = await NoteOnlyAsync(request.RequestId, request.Code, request.ExpectedVersion, request.Note, "note", "ReturnResult", DossierAction.ReturnResult, context, change =>
        {
            if (change.Details.Result is { } result)
            {
                change.Details = change.Details with { Result = result with { ReturnedAt = change.Now } };
            }

            return Task.CompletedTask;
        });
        return new ReturnResultResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>Rút hồ sơ: the citizen withdraws a dossier nobody has started processing.</summary>
    public async Task<WithdrawDossierResponse> WithdrawAsync(WithdrawDossierRequest request, ServerCallContext context)
    {
        var outcome = await NoteOnlyAsync(request.RequestId, request.Code, request.ExpectedVersion, request.Reason, "reason", "WithdrawDossier", DossierAction.Withdraw, context,
            change => endings.EndedAsync(db, change.Row.Id, change.Now, context.CancellationToken));
        return new WithdrawDossierResponse { Dossier = outcome.Dossier, Event = outcome.Event };
    }

    /// <summary>A change that carries only an optional note (its event's reason) besides the status: approve, return, withdraw.</summary>
    private async Task<ChangeOutcome> NoteOnlyAsync(
        string requestId, string code, long expectedVersion, string note, string noteField, string rpc, DossierAction action, ServerCallContext context, Func<DossierChange, Task>? also = null)
    {
        var violations = new List<FieldViolation>();
        var target = ProcessingInput.Target(requestId, code, expectedVersion, violations);
        var text = ProcessingInput.Reason(note, noteField, required: false, violations);
        ProcessingInput.ThrowIfAny(violations, rpc);
        return await runner.RunAsync(target, action, context, async change =>
        {
            if (also is not null)
            {
                await also(change);
            }

            change.Reason = text;
        });
    }
}
