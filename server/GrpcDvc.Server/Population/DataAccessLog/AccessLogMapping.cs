using Google.Protobuf.WellKnownTypes;
using GrpcDvc.Contracts.Audit.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population.DataAccessLog;

/// <summary>Access-log rows as a citizen sees them (with agency names) and as auditors see them.</summary>
public sealed class AccessLogMapping(DvcDbContext db)
{
    public async Task<IReadOnlyList<DataAccess>> ForCitizenAsync(IReadOnlyList<DataAccessRecord> records, CancellationToken cancellationToken)
    {
        var codes = records.Select(r => r.AgencyCode).OfType<string>().Distinct().ToList();
        var agencies = codes.Count == 0 ? [] : await db.Set<AdministrativeUnitRow>().AsNoTracking()
            .Where(u => codes.Contains(u.Code)).ToDictionaryAsync(u => u.Code, u => u.Name, cancellationToken);
        return [.. records.Select(r => new DataAccess
        {
            At = Timestamp.FromDateTimeOffset(r.At),
            AccessorName = r.AccessorName,
            AccessorRole = r.AccessorRole,
            AgencyCode = r.AgencyCode ?? string.Empty,
            AgencyName = r.AgencyCode is { } code && agencies.TryGetValue(code, out var name) ? name : string.Empty,
            Purpose = (AccessPurpose)r.Purpose,
            Reference = r.Reference ?? string.Empty,
            Fields = { Fields(r) },
            Rpc = r.Rpc,
        })];
    }

    public static DataAccessEntry ForAuditor(DataAccessRecord r) => new()
    {
        Id = r.Id.ToString(),
        At = Timestamp.FromDateTimeOffset(r.At),
        AccessorAccountId = r.AccessorAccountId,
        AccessorName = r.AccessorName,
        AccessorRole = r.AccessorRole,
        AgencyCode = r.AgencyCode ?? string.Empty,
        Purpose = (AccessPurpose)r.Purpose,
        Reference = r.Reference ?? string.Empty,
        SubjectIdNumber = r.SubjectIdNumber,
        Fields = { Fields(r) },
        Rpc = r.Rpc,
    };

    private static string[] Fields(DataAccessRecord record) => record.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
