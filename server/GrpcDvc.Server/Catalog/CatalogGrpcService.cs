using Grpc.Core;
using GrpcDvc.Contracts.Catalog.V1;
using GrpcDvc.Contracts.Common.V1;
using GrpcDvc.Server.Calendar;
using GrpcDvc.Server.Catalog.Forms;
using GrpcDvc.Server.Errors;
using GrpcDvc.Server.Listing;
using GrpcDvc.Server.Text;

namespace GrpcDvc.Server.Catalog;

/// <summary>dvc.catalog.v1.CatalogService: maps the contract to <see cref="CatalogStore"/> and <see cref="IProcedureForms"/> and back.</summary>
public sealed class CatalogGrpcService(CatalogStore store, IProcedureForms forms, TimeProvider time) : CatalogService.CatalogServiceBase
{
    /// <summary>The longest catalog code the store holds (procedures.code is 32 characters).</summary>
    private const int MaxCodeLength = 32;

    public override async Task<ListProceduresResponse> ListProcedures(ListProceduresRequest request, ServerCallContext context)
    {
        var page = request.Page ?? new PageRequest();
        var violations = ProcedureQueryRules.Validate(page.PageSize, (int)request.ServiceLevel, (int)request.Field);
        if (SearchText.Problem(request.Text) is { } textProblem)
        {
            violations.Add(new FieldViolation("text", textProblem, SearchText.TooLongReason));
        }

        var agencyLevel = string.IsNullOrWhiteSpace(request.AgencyLevel) ? null : request.AgencyLevel.Trim();
        if (agencyLevel is not null && !await store.AgencyLevelExistsAsync(agencyLevel, context.CancellationToken))
        {
            violations.Add(new FieldViolation("agency_level", $"'{agencyLevel}' is not a known agency level.", "UNKNOWN_AGENCY_LEVEL"));
        }

        var filter = new ProcedureFilter(
            request.ServiceLevel == ServiceLevel.Unspecified ? null : (int)request.ServiceLevel,
            CatalogMapping.FieldCode(request.Field),
            agencyLevel,
            VietnameseText.Words(request.Text));

        string? after = null;
        if (!string.IsNullOrEmpty(page.PageToken))
        {
            after = PageToken.TryRead(page.PageToken, filter.Fingerprint());
            if (after is null)
            {
                violations.Add(new FieldViolation("page.page_token", "Not a token this listing issued, or issued for other filters.", "INVALID_PAGE_TOKEN"));
            }
        }

        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("The listing request is invalid.", [.. violations]);
        }

        var result = await store.ListAsync(filter, new PageCursor(PageSize.Clamp(page.PageSize), after), context.CancellationToken);
        var levels = (await store.AgencyLevelsAsync(context.CancellationToken)).ToDictionary(l => l.Code);
        return new ListProceduresResponse
        {
            Procedures = { result.Items.Select(p => CatalogMapping.ToMessage(p, levels, Today())) },
            Page = new PageInfo
            {
                NextPageToken = result.NextAfterCode is { } next ? PageToken.Create(next, filter.Fingerprint()) : string.Empty,
                TotalSize = result.TotalSize,
            },
        };
    }

    public override async Task<GetProcedureResponse> GetProcedure(GetProcedureRequest request, ServerCallContext context)
    {
        var code = request.Code.Trim();
        if (code.Length == 0)
        {
            throw RpcErrors.InvalidArgument("A procedure code is required.", new FieldViolation("code", "Must not be empty.", "REQUIRED"));
        }

        var record = await store.FindAsync(code, context.CancellationToken)
            ?? throw RpcErrors.NotFound("procedure", code, $"No procedure has the code '{code}'.");
        var levels = (await store.AgencyLevelsAsync(context.CancellationToken)).ToDictionary(l => l.Code);
        return new GetProcedureResponse { Procedure = CatalogMapping.ToMessage(record, levels, Today()) };
    }

    public override async Task<GetProcedureFormResponse> GetProcedureForm(GetProcedureFormRequest request, ServerCallContext context)
    {
        var code = request.Code.Trim();
        var violations = new List<FieldViolation>();
        if (code.Length == 0)
        {
            violations.Add(new FieldViolation("code", "Must not be empty.", "REQUIRED"));
        }
        else if (code.Length > MaxCodeLength || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            violations.Add(new FieldViolation("code", $"A catalog code is at most {MaxCodeLength} letters, digits and dashes, e.g. BCA-L4-03.", "INVALID_CODE"));
        }

        var onDate = Today();
        if (request.OnDate is { } date && (date.Year != 0 || date.Month != 0 || date.Day != 0))
        {
            if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
            {
                violations.Add(new FieldViolation("on_date", "Not a calendar date.", "INVALID_DATE"));
            }
            else
            {
                onDate = new DateOnly(date.Year, date.Month, date.Day);
            }
        }

        if (violations.Count > 0)
        {
            throw RpcErrors.InvalidArgument("The form request is invalid.", [.. violations]);
        }

        var form = await forms.FindForProcedureAsync(code, onDate, context.CancellationToken)
            ?? throw RpcErrors.NotFound("procedure", code, $"No procedure has the code '{code}'.");
        return CatalogFormMapping.ToMessage(form);
    }

    /// <summary>Today in Vietnam: the day whose terms a listing shows.</summary>
    private DateOnly Today() => VietnamTime.DateOf(time.GetUtcNow());
}
