using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace GrpcDvc.Server.Population.DataAccessLog;

/// <summary>
/// The log of reads of citizens' data. <see cref="NewRecord"/> only builds an entry: the read hands
/// it to the <see cref="AccessLogWriter"/> and returns nothing until it is committed.
/// </summary>
public sealed class AccessLog(DvcDbContext db, TimeProvider time)
{
    public DataAccessRecord NewRecord(AccessEntry entry)
    {
        var record = new DataAccessRecord
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            At = time.GetUtcNow(),
            AccessorAccountId = entry.Accessor.AccountId,
            AccessorName = entry.Accessor.Name,
            AccessorRole = entry.Accessor.Role,
            AgencyCode = entry.Accessor.AgencyCode,
            Purpose = entry.Purpose,
            Reference = entry.Reference,
            LegalBasis = entry.LegalBasis,
            SubjectIdNumber = entry.SubjectIdNumber,
            Fields = string.Join(',', entry.Fields),
            Rpc = entry.Rpc,
        };
        return record;
    }

    /// <summary>Reads of one citizen's data, newest first (what the citizen sees).</summary>
    public Task<List<DataAccessRecord>> ForSubjectAsync(string idNumber, int skip, int take, CancellationToken cancellationToken)
        => db.Set<DataAccessRecord>().AsNoTracking()
            .Where(a => a.SubjectIdNumber == idNumber)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(skip).Take(take)
            .ToListAsync(cancellationToken);

    public Task<int> CountForSubjectAsync(string idNumber, CancellationToken cancellationToken)
        => db.Set<DataAccessRecord>().CountAsync(a => a.SubjectIdNumber == idNumber, cancellationToken);

    /// <summary>The auditors' query: every filter optional, newest first.</summary>
    public async Task<(List<DataAccessRecord> Items, int Total)> QueryAsync(AccessQuery query, int skip, int take, CancellationToken cancellationToken)
    {
        var rows = db.Set<DataAccessRecord>().AsNoTracking();
        if (query.AccessorAccountId is { } accessor)
        {
            rows = rows.Where(a => a.AccessorAccountId == accessor);
        }

        if (query.SubjectIdNumber is { } subject)
        {
            rows = rows.Where(a => a.SubjectIdNumber == subject);
        }

        if (query.Purpose is { } purpose)
        {
            rows = rows.Where(a => a.Purpose == purpose);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(a => a.At >= from);
        }

        if (query.Until is { } until)
        {
            rows = rows.Where(a => a.At < until);
        }

        if (query.AgencyCodes is { } agencies)
        {
            rows = rows.Where(a => a.AgencyCode != null && agencies.Contains(a.AgencyCode));
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (items, total);
    }
}

/// <summary>Who read: an account with its role and agency at the time of the read.</summary>
public sealed record Accessor(string AccountId, string Name, string Role, string? AgencyCode);

public sealed record AccessEntry(
    Accessor Accessor, int Purpose, string? Reference, string? LegalBasis, string SubjectIdNumber, IReadOnlyList<string> Fields, string Rpc);

/// <summary>Filters of the auditors' query; <see cref="AgencyCodes"/> limits it to the auditor's units.</summary>
public sealed record AccessQuery(
    string? AccessorAccountId, string? SubjectIdNumber, int? Purpose, DateTimeOffset? From, DateTimeOffset? Until, IReadOnlyCollection<string>? AgencyCodes);
