using GrpcDvc.Server.Dossiers.History;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace GrpcDvc.Server.Dossiers.Tracking;

/// <summary>
/// Verifies a stored history in batches of events read by sequence (keyset on the primary key), each
/// batch checked and dropped: memory stays bounded by two batches, not the history. The next batch is
/// read while the current one is checked (the database and the hashing overlap). The caller holds the
/// context's connection open in a transaction (one snapshot for the anchor and every batch).
/// </summary>
public static class HistoryVerification
{
    public static async Task<ChainCheck> VerifyAsync(DvcDbContext db, DossierRecord dossier, int batchSize, CancellationToken cancellationToken)
    {
        // Opened here (EF counts the opens): the batches run on the connection directly.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await VerifyOpenAsync(db, dossier, batchSize, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<ChainCheck> VerifyOpenAsync(DvcDbContext db, DossierRecord dossier, int batchSize, CancellationToken cancellationToken)
    {
        var verifier = new ChainVerifier(dossier);
        // From the lowest number there can be, not from 0: a row slipped in as sequence 0 or below is read too.
        var batch = await BatchAsync(db, dossier, long.MinValue, batchSize, cancellationToken);
        while (true)
        {
            var last = batch.Count == batchSize;
            var next = last ? BatchAsync(db, dossier, batch[^1].Sequence, batchSize, cancellationToken) : null;
            bool unbroken;
            try
            {
                // The check runs on the pool while the context reads the next batch; the context is not shared with it.
                var current = batch;
                unbroken = await Task.Run(() => verifier.AddBatch(current), cancellationToken);
            }
            catch
            {
                if (next is not null)
                {
                    await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }

                throw;
            }

            if (!unbroken || next is null)
            {
                if (next is not null)
                {
                    // Let the read in flight finish before the context is used or disposed.
                    await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }

                return verifier.Finish();
            }

            batch = await next;
        }
    }

    // The events' hashed columns by keyset on the primary key. Plain ADO.NET on the context's own connection
    // and transaction: a million rows through EF's materializer cost several times the reading. The dossier
    // is named by its code (a text parameter binds alike on every provider; a GUID does not).
    private const string BatchSql = """
        SELECT e.sequence, e.at, e.action, e.from_status, e.to_status, e.actor_id, e.actor_name, e.actor_role,
               e.unit_code, e.reason, e.documents, e.previous_hash, e.hash
        FROM dossier_events e
        WHERE e.dossier_id = (SELECT d.id FROM dossiers d WHERE d.code = @code) AND e.sequence > @after
        ORDER BY e.sequence
        LIMIT @size
        """;

    private static async Task<List<DossierEventRecord>> BatchAsync(DvcDbContext db, DossierRecord dossier, long after, int size, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = BatchSql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        Parameter(command, "@code", dossier.Code);
        Parameter(command, "@after", after);
        Parameter(command, "@size", size);
        var events = new List<DossierEventRecord>(size);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new DossierEventRecord
            {
                DossierId = dossier.Id,
                Sequence = reader.GetInt64(0),
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Action = reader.GetString(2),
                FromStatus = reader.IsDBNull(3) ? null : reader.GetString(3),
                ToStatus = reader.GetString(4),
                ActorId = reader.IsDBNull(5) ? null : reader.GetGuid(5),
                ActorName = reader.GetString(6),
                ActorRole = reader.GetString(7),
                UnitCode = reader.IsDBNull(8) ? null : reader.GetString(8),
                Reason = reader.IsDBNull(9) ? null : reader.GetString(9),
                Documents = reader.GetString(10),
                PreviousHash = reader.GetString(11),
                Hash = reader.GetString(12),
            });
        }

        return events;
    }

    private static void Parameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
