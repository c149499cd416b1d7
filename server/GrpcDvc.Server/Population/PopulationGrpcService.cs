using Grpc.Core;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Registry;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Population;

/// <summary>
/// dvc.population.v1.PopulationService: validates and maps the contract, reads through
/// <see cref="CitizenReads"/> (scope and access log) and maps back. The document rpcs are in
/// PopulationGrpcService.Documents.cs.
/// </summary>
public sealed partial class PopulationGrpcService(PopulationStore store, CitizenReads reads, AccessLog log, AccessLogMapping logMapping, TimeProvider time) : PopulationService.PopulationServiceBase
{
    public override async Task<LookupCitizenResponse> LookupCitizen(LookupCitizenRequest request, ServerCallContext context)
    {
        var violations = new List<FieldViolation>();
        PopulationRequestRules.IdNumber(violations, request.IdNumber, "id_number");
        var purpose = PopulationRequestRules.Purpose(violations, request.Access, PurposeFields.AllowsLookup);
        PopulationRequestRules.ThrowIfAny(violations, "The lookup request is invalid.");

        var fields = PurposeFields.For(purpose!.Purpose);
        var ct = context.CancellationToken;
        var record = await reads.ReadOneAsync(Read(context, purpose), request.IdNumber,
                () => store.FindAsync(request.IdNumber, CitizenPartsFor.Fields(fields), ct), fields, ct)
            ?? throw PopulationErrors.CitizenNotFound(request.IdNumber);
        return new LookupCitizenResponse { Citizen = CitizenMapping.ToMessage(record, fields), FieldsReturned = { fields } };
    }

    /// <summary>The longest name a search accepts: as long as a stored full name may be.</summary>
    public const int MaxSearchNameLength = 200;

    public override async Task<SearchCitizensResponse> SearchCitizens(SearchCitizensRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var violations = new List<FieldViolation>();
        var words = VietnameseText.NameWords(request.Name);
        if (SearchText.Problem(request.Name) is { } nameProblem)
        {
            violations.Add(new FieldViolation("name", nameProblem, SearchText.TooLongReason));
        }
        else if (words.Count == 0)
        {
            violations.Add(new FieldViolation("name", "Give a full or partial name.", PopulationRequestRules.Required));
        }
        else if (request.Name.Length > MaxSearchNameLength)
        {
            // Each word is a key of the index query: a name no longer than a stored one (200) bounds them.
            violations.Add(new FieldViolation("name", $"At most {MaxSearchNameLength} characters.", "NAME_TOO_LONG"));
        }

        if (request.BirthYear != 0 && request.BirthYear is < BirthDate.MinYear or > BirthDate.MaxYear)
        {
            violations.Add(new FieldViolation("birth_year", $"A birth year lies between {BirthDate.MinYear} and {BirthDate.MaxYear}.", "BIRTH_YEAR_RANGE"));
        }

        int? placeId = null;
        if (PopulationRequestRules.Blank(request.PlaceCode) is { } placeCode && (placeId = await store.UnitIdAsync(placeCode, ct)) is null)
        {
            violations.Add(new FieldViolation("place_code", $"'{placeCode}' is not a known administrative unit.", "UNKNOWN_PLACE"));
        }

        var purpose = PopulationRequestRules.Purpose(violations, request.Access, PurposeFields.AllowsLookup);
        var search = new CitizenSearch(words, request.BirthYear == 0 ? null : request.BirthYear, placeId);
        var paging = Paging.Read(violations, request.Page, search.Fingerprint());
        PopulationRequestRules.ThrowIfAny(violations, "The search request is invalid.");
        search = search with { ScopeUnitIds = await reads.SearchScopeAsync(context.GetCaller(), ct) };

        var fields = PurposeFields.For(purpose!.Purpose);
        var (served, page) = await reads.ReadPageAsync(Read(context, purpose),
            () => store.SearchAsync(search, paging.Size, paging.After, CitizenPartsFor.Fields(fields), ct),
            fields, ct);
        return new SearchCitizensResponse
        {
            Citizens = { served.Select(c => CitizenMapping.ToMessage(c, fields)) },
            FieldsReturned = { fields },
            Page = new PageInfo
            {
                NextPageToken = page.NextAfterId is { } next ? PageToken.Create(CitizenMapping.Text(next), search.Fingerprint()) : string.Empty,
                TotalSize = page.TotalSize,
            },
            TotalSizeCapped = page.TotalCapped,
        };
    }

    public override async Task<GetMyRecordResponse> GetMyRecord(GetMyRecordRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var idNumber = caller.IdNumber ?? throw PopulationErrors.NotOwnRecord();
        var ct = context.CancellationToken;
        var record = await reads.ReadOneAsync(new ReadContext(caller, StatedPurpose.SelfService, context.Method), idNumber,
            () => store.FindAsync(idNumber, CitizenPartsFor.Fields(CitizenFields.All), ct), CitizenFields.All, ct)
            ?? throw PopulationErrors.CitizenNotFound(idNumber);
        return new GetMyRecordResponse { Citizen = CitizenMapping.ToMessage(record, CitizenFields.All) };
    }

    public override async Task<ListMyDataAccessesResponse> ListMyDataAccesses(ListMyDataAccessesRequest request, ServerCallContext context)
    {
        var caller = context.GetCaller();
        var idNumber = caller.IdNumber ?? throw PopulationErrors.NotOwnRecord();
        var violations = new List<FieldViolation>();
        var paging = Paging.Read(violations, request.Page, idNumber);
        PopulationRequestRules.ThrowIfAny(violations, "The listing request is invalid.");

        var ct = context.CancellationToken;
        var skip = paging.Offset;
        var items = await log.ForSubjectAsync(idNumber, skip, paging.Size, ct);
        var total = await log.CountForSubjectAsync(idNumber, ct);
        return new ListMyDataAccessesResponse
        {
            Accesses = { await logMapping.ForCitizenAsync(items, ct) },
            Page = Paging.Info(skip, items.Count, total, idNumber),
        };
    }

    private static ReadContext Read(ServerCallContext context, StatedPurpose purpose, bool subjectIsIdNumber = true)
        => new(context.GetCaller(), purpose, context.Method, subjectIsIdNumber);
}
