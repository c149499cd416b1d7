using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Server.Dossiers.Processing;

/// <summary>The state machine's business calls: each checks who may make it, changes the dossier against the version seen, appends its event.</summary>
public sealed class DossierProcessing
{
    public Task<ReceiveDossierResponse> ReceiveAsync(ReceiveDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("ReceiveDossier");

    public Task<StartProcessingResponse> StartProcessingAsync(StartProcessingRequest request, ServerCallContext context) => throw NotBuiltYet.Error("StartProcessing");

    public Task<RequestSupplementResponse> RequestSupplementAsync(RequestSupplementRequest request, ServerCallContext context) => throw NotBuiltYet.Error("RequestSupplement");

    public Task<SupplementDossierResponse> SupplementAsync(SupplementDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("SupplementDossier");

    public Task<RejectDossierResponse> RejectAsync(RejectDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("RejectDossier");

    public Task<ApproveDossierResponse> ApproveAsync(ApproveDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("ApproveDossier");

    public Task<IssueResultResponse> IssueResultAsync(IssueResultRequest request, ServerCallContext context) => throw NotBuiltYet.Error("IssueResult");

    public Task<ReturnResultResponse> ReturnResultAsync(ReturnResultRequest request, ServerCallContext context) => throw NotBuiltYet.Error("ReturnResult");

    public Task<WithdrawDossierResponse> WithdrawAsync(WithdrawDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("WithdrawDossier");
}
