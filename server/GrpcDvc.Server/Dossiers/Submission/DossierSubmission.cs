using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Server.Dossiers.Submission;

/// <summary>SubmitDossier: form and registry checks, routing, the dossier code, the due date, the first event.</summary>
public sealed class DossierSubmission
{
    public Task<SubmitDossierResponse> SubmitAsync(SubmitDossierRequest request, ServerCallContext context)
        => throw NotBuiltYet.Error("SubmitDossier");
}
