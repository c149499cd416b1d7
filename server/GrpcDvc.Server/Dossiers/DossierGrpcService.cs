using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Dossiers.Attachments;
using GrpcDvc.Server.Dossiers.Processing;
using GrpcDvc.Server.Dossiers.Submission;
using GrpcDvc.Server.Dossiers.Tracking;

namespace GrpcDvc.Server.Dossiers;

/// <summary>
/// dvc.dossiers.v1.DossierService: only hands each rpc to the part of the capability that owns it —
/// uploads, submission, the state machine's changes, and the reads. Access (roles, unit scope) is the
/// gate's from the proto policy; the subject checks (own dossier, a unit within the caller's) are each part's.
/// </summary>
public sealed class DossierGrpcService(AttachmentUploads uploads, DossierSubmission submission, DossierProcessing processing, DossierQueries queries)
    : DossierService.DossierServiceBase
{
    public override Task<UploadAttachmentResponse> UploadAttachment(IAsyncStreamReader<UploadAttachmentRequest> requestStream, ServerCallContext context)
        => uploads.UploadAsync(requestStream, context);

    public override Task<SubmitDossierResponse> SubmitDossier(SubmitDossierRequest request, ServerCallContext context)
        => submission.SubmitAsync(request, context);

    public override Task<SupplementDossierResponse> SupplementDossier(SupplementDossierRequest request, ServerCallContext context)
        => processing.SupplementAsync(request, context);

    public override Task<WithdrawDossierResponse> WithdrawDossier(WithdrawDossierRequest request, ServerCallContext context)
        => processing.WithdrawAsync(request, context);

    public override Task<ListMyDossiersResponse> ListMyDossiers(ListMyDossiersRequest request, ServerCallContext context)
        => queries.ListMineAsync(request, context);

    public override Task<GetDossierResponse> GetDossier(GetDossierRequest request, ServerCallContext context)
        => queries.GetAsync(request, context);

    public override Task WatchDossier(WatchDossierRequest request, IServerStreamWriter<WatchDossierResponse> responseStream, ServerCallContext context)
        => queries.WatchAsync(request, responseStream, context);

    public override Task<TrackDossierResponse> TrackDossier(TrackDossierRequest request, ServerCallContext context)
        => queries.TrackAsync(request, context);

    public override Task<ListDossiersResponse> ListDossiers(ListDossiersRequest request, ServerCallContext context)
        => queries.ListAsync(request, context);

    public override Task<ReceiveDossierResponse> ReceiveDossier(ReceiveDossierRequest request, ServerCallContext context)
        => processing.ReceiveAsync(request, context);

    public override Task<StartProcessingResponse> StartProcessing(StartProcessingRequest request, ServerCallContext context)
        => processing.StartProcessingAsync(request, context);

    public override Task<RequestSupplementResponse> RequestSupplement(RequestSupplementRequest request, ServerCallContext context)
        => processing.RequestSupplementAsync(request, context);

    public override Task<RejectDossierResponse> RejectDossier(RejectDossierRequest request, ServerCallContext context)
        => processing.RejectAsync(request, context);

    public override Task<ApproveDossierResponse> ApproveDossier(ApproveDossierRequest request, ServerCallContext context)
        => processing.ApproveAsync(request, context);

    public override Task<IssueResultResponse> IssueResult(IssueResultRequest request, ServerCallContext context)
        => processing.IssueResultAsync(request, context);

    public override Task<ReturnResultResponse> ReturnResult(ReturnResultRequest request, ServerCallContext context)
        => processing.ReturnResultAsync(request, context);

    public override Task<GetDossierHistoryResponse> GetDossierHistory(GetDossierHistoryRequest request, ServerCallContext context)
        => queries.HistoryAsync(request, context);

    public override Task<VerifyDossierHistoryResponse> VerifyDossierHistory(VerifyDossierHistoryRequest request, ServerCallContext context)
        => queries.VerifyHistoryAsync(request, context);

    public override Task<SearchDossiersResponse> SearchDossiers(SearchDossiersRequest request, ServerCallContext context)
        => queries.SearchAsync(request, context);
}
