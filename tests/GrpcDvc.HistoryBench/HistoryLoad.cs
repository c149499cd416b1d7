using System.Diagnostics;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Dossiers.History;
using Npgsql;
using NpgsqlTypes;

namespace GrpcDvc.HistoryBench;

/// <summary>
/// Writes one dossier and its history of <c>count</c> events straight into PostgreSQL: the events linked
/// one after another with <see cref="HistoryChain.Link"/> (as the server appends them) and streamed in
/// with binary COPY, then the dossier row with its anchor (count and last hash).
/// </summary>
internal static class HistoryLoad
{
    private static readonly (string Action, string From, string To)[] Steps =
    [
        ("receive", "submitted", "received"),
        ("start_processing", "received", "processing"),
        ("request_supplement", "processing", "supplement_requested"),
        ("supplement", "supplement_requested", "processing"),
    ];

    public static async Task<string> RunAsync(string connectionString, long count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var (unitId, unitCode) = await FirstUnitAsync(connection);
        var started = DateTimeOffset.UtcNow - TimeSpan.FromDays(400);
        var dossier = new DossierRecord
        {
            Id = Guid.NewGuid(),
            Code = $"{unitCode}-{started:yyMMdd}-9999",
            ProcedureCode = "BCA-L4-03",
            UnitId = unitId,
            UnitCode = unitCode,
            ApplicantAccountId = Guid.NewGuid(),
            ApplicantIdNumber = "001190000501",
            ApplicantName = "Nguyễn Thị Đo Tải",
            Status = "processing",
            SubmitRequestId = Guid.NewGuid().ToString("D"),
            SubmittedAt = started,
            ClockStartedAt = started,
            ClockStops = "[]",
            UpdatedAt = started,
            Details = """{"applicant":{"idNumber":"001190000501","fullName":"Nguyễn Thị Đo Tải","birthYear":1990,"birthMonth":1,"birthDay":1,"gender":"female"},"delivery":{"method":"Online"}}""",
            HistoryHead = HistoryChain.Genesis,
        };

        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY dossier_events (dossier_id, sequence, at, action, from_status, to_status, actor_id, actor_name, actor_role, unit_code, reason, documents, request_id, previous_hash, hash) FROM STDIN (FORMAT BINARY)"))
        {
            var actor = Guid.NewGuid();
            for (long i = 0; i < count; i++)
            {
                var step = i == 0 ? ("submit", (string?)null, "submitted") : Steps[(int)((i - 1) % Steps.Length)];
                var e = new DossierEventRecord
                {
                    At = started + TimeSpan.FromSeconds(i),
                    Action = step.Item1,
                    FromStatus = step.Item2,
                    ToStatus = step.Item3,
                    ActorId = actor,
                    ActorName = "Lê Văn Cán Bộ",
                    ActorRole = i == 0 ? "citizen" : "processing_officer",
                    UnitCode = i == 0 ? null : unitCode,
                    Reason = step.Item1 == "request_supplement" ? "Thiếu tờ khai CT01 có xác nhận của chủ hộ" : null,
                    Documents = step.Item1 == "request_supplement" ? """["Tờ khai CT01"]""" : "[]",
                    RequestId = $"bench-{i}",
                    PreviousHash = "",
                    Hash = "",
                };
                HistoryChain.Link(dossier, e);
                await copy.StartRowAsync();
                await copy.WriteAsync(dossier.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint);
                await copy.WriteAsync(e.At.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
                await copy.WriteAsync(e.Action, NpgsqlDbType.Varchar);
                await WriteNullableAsync(copy, e.FromStatus);
                await copy.WriteAsync(e.ToStatus, NpgsqlDbType.Varchar);
                await copy.WriteAsync(actor, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.ActorName, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.ActorRole, NpgsqlDbType.Varchar);
                await WriteNullableAsync(copy, e.UnitCode);
                await WriteNullableAsync(copy, e.Reason);
                await copy.WriteAsync(e.Documents, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.RequestId, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.PreviousHash, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.Hash, NpgsqlDbType.Varchar);
            }

            await copy.CompleteAsync();
        }

        dossier.Version = dossier.EventCount;
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO dossiers (id, code, procedure_code, unit_id, unit_code, applicant_account_id, applicant_id_number, applicant_name, status,
              resume_status, version, submit_request_id, submitted_at, clock_started_at, due_at, clock_stops, overdue_at, updated_at, station_id,
              details, event_count, history_head)
            VALUES (@id, @code, @procedure, @unit_id, @unit_code, @applicant, @applicant_id, @applicant_name, @status, NULL, @version, @request,
              @submitted, @submitted, NULL, '[]', NULL, @submitted, NULL, @details, @count, @head)
            """, connection))
        {
            insert.Parameters.AddWithValue("id", dossier.Id);
            insert.Parameters.AddWithValue("code", dossier.Code);
            insert.Parameters.AddWithValue("procedure", dossier.ProcedureCode);
            insert.Parameters.AddWithValue("unit_id", dossier.UnitId);
            insert.Parameters.AddWithValue("unit_code", dossier.UnitCode);
            insert.Parameters.AddWithValue("applicant", dossier.ApplicantAccountId);
            insert.Parameters.AddWithValue("applicant_id", dossier.ApplicantIdNumber);
            insert.Parameters.AddWithValue("applicant_name", dossier.ApplicantName);
            insert.Parameters.AddWithValue("status", dossier.Status);
            insert.Parameters.AddWithValue("version", dossier.Version);
            insert.Parameters.AddWithValue("request", dossier.SubmitRequestId);
            insert.Parameters.AddWithValue("submitted", dossier.SubmittedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("details", dossier.Details);
            insert.Parameters.AddWithValue("count", dossier.EventCount);
            insert.Parameters.AddWithValue("head", dossier.HistoryHead);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE dossier_events; ANALYZE dossiers", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"loaded\t{dossier.Code}\t{count}\t{clock.Elapsed.TotalSeconds:0.0}");
        return dossier.Code;
    }

    private static async Task<(int Id, string Code)> FirstUnitAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT id, code FROM administrative_units ORDER BY id LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt32(0), reader.GetString(1)) : throw new InvalidOperationException("No administrative units: start the server on the database first (it migrates and seeds them).");
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value)
        => value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Varchar);
}
