using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>The reads: one dossier, the lists, public tracking, the live watch, the history and its verification, auditors' search.</summary>
public sealed class DossierQueries
{
    public Task<GetDossierResponse> GetAsync(GetDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("GetDossier");

    public Task WatchAsync(WatchDossierRequest request, IServerStreamWriter<WatchDossierResponse> updates, ServerCallContext context) => throw NotBuiltYet.Error("WatchDossier");

    public Task<TrackDossierResponse> TrackAsync(TrackDossierRequest request, ServerCallContext context) => throw NotBuiltYet.Error("TrackDossier");

    public Task<ListMyDossiersResponse> ListMineAsync(ListMyDossiersRequest request, ServerCallContext context) => throw NotBuiltYet.Error("ListMyDossiers");

    public Task<ListDossiersResponse> ListAsync(ListDossiersRequest request, ServerCallContext context) => throw NotBuiltYet.Error("ListDossiers");

    public Task<GetDossierHistoryResponse> HistoryAsync(GetDossierHistoryRequest request, ServerCallContext context) => throw NotBuiltYet.Error("GetDossierHistory");

    public Task<VerifyDossierHistoryResponse> VerifyHistoryAsync(VerifyDossierHistoryRequest request, ServerCallContext context) => throw NotBuiltYet.Error("VerifyDossierHistory");

    public Task<SearchDossiersResponse> SearchAsync(SearchDossiersRequest request, ServerCallContext context) => throw NotBuiltYet.Error("SearchDossiers");
}
