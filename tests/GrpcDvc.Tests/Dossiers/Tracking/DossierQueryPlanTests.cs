using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace GrpcDvc.Tests.Dossiers.Tracking;

/// <summary>
/// PostgreSQL plans the officials' queue of one unit and the auditors' search by citizen on the indexes of
/// M0120, not on a scan of every dossier: 60,000 dossiers over 300 units, each with two people, and the
/// statistics ANALYZE leaves. The SQL is the shape EF Core sends for DossierListing's queries.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DossierQueryPlanOnPostgresTests(PostgresCluster cluster) : IAsyncLifetime
{
    private const string Columns = "d.id, d.code, d.procedure_code, d.status, d.unit_code, d.submitted_at, d.due_at, d.applicant_name, d.version, d.updated_at";

    private InProcessServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await InProcessServer.StartAsync(await cluster.CreateDatabaseAsync(), "--Dvc:Population:DemoCitizens=0");
        await ExecuteAsync("""
            INSERT INTO dossiers (id, code, procedure_code, unit_id, unit_code, applicant_account_id, applicant_id_number, applicant_name, status,
              version, submit_request_id, submitted_at, clock_started_at, due_at, clock_stops, updated_at, details, event_count, history_head)
            SELECT md5('d' || n)::uuid, 'U' || (n % 300) || '-261102-' || n, 'BCA-L4-0' || (n % 9 + 1), n % 300, 'U' || (n % 300),
              md5('a' || n)::uuid, lpad((100000000000 + n)::text, 12, '0'), 'Nguyễn Văn ' || n,
              (ARRAY['submitted','received','processing','approved','result_returned','rejected'])[n % 6 + 1],
              1, 'r' || n, 1767225600000 + n::bigint * 60000, 1767225600000 + n::bigint * 60000, 1767225600000 + n::bigint * 60000 + 259200000, '[]',
              1767225600000 + n::bigint * 60000, '{}', 1, repeat('0', 64)
            FROM generate_series(1, 60000) n;
            INSERT INTO dossier_people (dossier_id, id_number, role)
            SELECT md5('d' || n)::uuid, lpad((100000000000 + n)::text, 12, '0'), 'applicant' FROM generate_series(1, 60000) n
            UNION ALL
            SELECT md5('d' || n)::uuid, lpad((200000000000 + n % 20000)::text, 12, '0'), 'concerned' FROM generate_series(1, 60000) n;
            ANALYZE dossiers; ANALYZE dossier_people;
            """);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheQueueOfOneUnit_ByStatusEarliestDueFirst_IsPlannedOnTheUnitStatusDueIndex()
    {
        var plan = await ExplainAsync(
            $"SELECT {Columns} FROM dossiers d WHERE d.unit_id = 17 AND d.status = ANY (ARRAY['submitted','received']) ORDER BY d.due_at IS NULL, d.due_at, d.code LIMIT 51");
        var count = await ExplainAsync("SELECT count(*) FROM dossiers d WHERE d.unit_id = 17 AND d.status = ANY (ARRAY['submitted','received'])");

        Assert.Contains("ix_dossiers_unit_status_due", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan on dossiers", plan + count, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSearchByACitizensIdNumber_IsPlannedOnThePeopleIndex_ThenByDossierKey()
    {
        var plan = await ExplainAsync(
            $"SELECT {Columns} FROM dossiers d WHERE d.id IN (SELECT p.dossier_id FROM dossier_people p WHERE p.id_number = '200000001234') " +
            "AND d.unit_id = ANY (ARRAY[1, 2, 3, 17, 34]) ORDER BY d.submitted_at DESC, d.code DESC LIMIT 51");

        Assert.Contains("ix_dossier_people_id_number", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACitizensOwnList_NewestFirst_IsPlannedOnTheApplicantIndex()
    {
        var plan = await ExplainAsync(
            $"SELECT {Columns} FROM dossiers d WHERE d.applicant_account_id = md5('a' || 4321)::uuid ORDER BY d.submitted_at DESC, d.code DESC LIMIT 51");

        Assert.Contains("ix_dossiers_applicant_submitted", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server.Services.GetRequiredService<DatabaseTarget>().ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> ExplainAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server.Services.GetRequiredService<DatabaseTarget>().ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"EXPLAIN {sql}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
