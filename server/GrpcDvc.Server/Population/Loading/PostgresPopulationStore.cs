using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Persistence;
using Npgsql;
using NpgsqlTypes;
using static GrpcDvc.Server.Population.Loading.PopulationStoreQueries;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// Loads with binary COPY (Npgsql BeginBinaryImport), the fastest way into PostgreSQL. The whole
/// load is one transaction: dropping the secondary indexes and foreign keys, the COPYs, and
/// re-creating them are all-or-nothing, so a failed load leaves the registry as it was. Into
/// tables it truncated itself, it copies with FREEZE: rows are written already frozen, so no
/// later vacuum rewrites 10 million rows.
/// </summary>
internal sealed class PostgresPopulationStore : IPopulationStore
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _transaction;
    private bool _bulk;
    private bool _freeze;

    private PostgresPopulationStore(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresPopulationStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return new PostgresPopulationStore(connection);
    }

    public Task<PopulationCounts> CountAsync(CancellationToken cancellationToken) => PopulationStoreQueries.CountAsync(_connection, _transaction, cancellationToken);

    public Task<PopulationIdStart> NextIdsAsync(CancellationToken cancellationToken) => PopulationStoreQueries.NextIdsAsync(_connection, _transaction, cancellationToken);

    public async Task BeginAsync(bool replace, bool bulk, CancellationToken cancellationToken)
    {
        _bulk = bulk;
        _freeze = replace;
        _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        if (replace)
        {
            await ExecuteAsync(_connection, _transaction, $"TRUNCATE {string.Join(", ", PopulationSchema.LoadedTables)}", cancellationToken);
        }

        if (bulk)
        {
            foreach (var key in PopulationSchema.ForeignKeys)
            {
                await ExecuteAsync(_connection, _transaction, $"ALTER TABLE {key.Table} DROP CONSTRAINT IF EXISTS {key.Name}", cancellationToken);
            }

            foreach (var index in PopulationSchema.Indexes)
            {
                await ExecuteAsync(_connection, _transaction, index.DropSql, cancellationToken);
            }

            await ExecuteAsync(_connection, _transaction, CitizenSearchIndex.DropPostgresIndexSql, cancellationToken);
        }
    }

    public async Task WriteAsync(PopulationChunk chunk, CancellationToken cancellationToken)
    {
        await CopyAsync(PopulationSchema.Households, PopulationColumns.Households, chunk.Households, WriteHousehold, cancellationToken);
        await CopyAsync(PopulationSchema.Citizens, PopulationColumns.Citizens, chunk.Citizens, WriteCitizen, cancellationToken);
        await CopyAsync(PopulationSchema.IdentityDocuments, PopulationColumns.Documents, chunk.Documents, WriteDocument, cancellationToken);
        await CopyAsync(PopulationSchema.ResidenceRecords, PopulationColumns.Residences, chunk.Residences, WriteResidence, cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("The load has not begun.");
        if (_bulk)
        {
            // Index builds sort in memory when they can; the default 64 MB spills 10 M keys to disk.
            await ExecuteAsync(_connection, transaction, "SET LOCAL maintenance_work_mem = '512MB'", cancellationToken);
            foreach (var index in PopulationSchema.Indexes)
            {
                await ExecuteAsync(_connection, transaction, index.CreateSql, cancellationToken);
            }

            // The name-search GIN index, built once over every row (its keys computed per citizen).
            await ExecuteAsync(_connection, transaction, CitizenSearchIndex.CreatePostgresIndexSql, cancellationToken);

            // NOT VALID: the keys hold for every later write, but the loaded rows are not re-checked
            // (a join over tens of millions of rows). The generator makes every reference point to a
            // row of the same load, which its tests prove; ALTER TABLE … VALIDATE CONSTRAINT can still
            // check them later without blocking reads or writes.
            foreach (var key in PopulationSchema.ForeignKeys)
            {
                await ExecuteAsync(_connection, transaction,
                    $"ALTER TABLE {key.Table} ADD CONSTRAINT {key.Name} FOREIGN KEY ({key.Column}) REFERENCES {key.ReferencedTable} (id) NOT VALID",
                    cancellationToken);
            }
        }

        // COPY sets ids explicitly, so the identity sequences must be moved past them for later inserts.
        foreach (var table in PopulationSchema.LoadedTables)
        {
            await ExecuteAsync(_connection, transaction,
                $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)",
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _transaction = null;
        // Fresh statistics, so the planner knows the tables' new sizes at once.
        await ExecuteAsync(_connection, null, $"ANALYZE {string.Join(", ", PopulationSchema.LoadedTables)}", cancellationToken);
    }

    public async Task AbortAsync(PopulationIdStart start)
    {
        if (_transaction is null)
        {
            return;
        }

        try
        {
            await _transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or NpgsqlException or InvalidOperationException)
        {
            // A cancelled COPY breaks the connection; PostgreSQL then rolls the transaction back itself.
        }

        _transaction = null;
    }

    public Task<long> DatabaseSizeAsync(CancellationToken cancellationToken)
        => ScalarAsync(_connection, null, "SELECT pg_database_size(current_database())", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private async Task CopyAsync<T>(string table, string[] columns, List<T> rows, Action<NpgsqlBinaryImporter, T> write, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var importer = await _connection.BeginBinaryImportAsync(
            $"COPY {table} ({PopulationColumns.List(columns)}) FROM STDIN (FORMAT BINARY{(_freeze ? ", FREEZE" : string.Empty)})", cancellationToken);
        foreach (var row in rows)
        {
            // The synchronous writes buffer in memory; only full buffers go to the socket.
            importer.StartRow();
            write(importer, row);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static void WriteHousehold(NpgsqlBinaryImporter w, HouseholdRow h)
    {
        w.Write(h.Id, NpgsqlDbType.Bigint);
        Nullable(w, h.HeadCitizenId, NpgsqlDbType.Bigint);
        w.Write(h.UnitId, NpgsqlDbType.Integer);
        w.Write(h.Address, NpgsqlDbType.Varchar);
        w.Write(h.EstablishedOn, NpgsqlDbType.Date);
    }

    private static void WriteCitizen(NpgsqlBinaryImporter w, CitizenRow c)
    {
        w.Write(c.Id, NpgsqlDbType.Bigint);
        w.Write(c.IdNumber, NpgsqlDbType.Varchar);
        w.Write(c.FullName, NpgsqlDbType.Varchar);
        w.Write(c.FoldedName, NpgsqlDbType.Varchar);
        Text(w, c.OtherNames);
        w.Write(c.BirthYear, NpgsqlDbType.Integer);
        Nullable(w, c.BirthMonth, NpgsqlDbType.Integer);
        Nullable(w, c.BirthDay, NpgsqlDbType.Integer);
        w.Write((int)c.Gender, NpgsqlDbType.Integer);
        w.Write(c.Ethnicity, NpgsqlDbType.Varchar);
        w.Write(c.Religion, NpgsqlDbType.Varchar);
        w.Write(c.Nationality, NpgsqlDbType.Varchar);
        w.Write(c.BirthRegistrationUnitId, NpgsqlDbType.Integer);
        w.Write(c.HometownUnitId, NpgsqlDbType.Integer);
        w.Write(c.PermanentUnitId, NpgsqlDbType.Integer);
        w.Write(c.PermanentAddress, NpgsqlDbType.Varchar);
        Nullable(w, c.TemporaryUnitId, NpgsqlDbType.Integer);
        Text(w, c.TemporaryAddress);
        w.Write(c.CurrentUnitId, NpgsqlDbType.Integer);
        w.Write(c.CurrentAddress, NpgsqlDbType.Varchar);
        w.Write(c.CurrentProvinceId, NpgsqlDbType.Integer);
        Nullable(w, c.HouseholdId, NpgsqlDbType.Bigint);
        Nullable(w, (int?)c.RelationToHead, NpgsqlDbType.Integer);
        Text(w, c.FatherIdNumber);
        Text(w, c.MotherIdNumber);
        Text(w, c.SpouseIdNumber);
        Text(w, c.Phone);
        w.Write((int)c.Status, NpgsqlDbType.Integer);
        Nullable(w, c.DiedOn, NpgsqlDbType.Date);
    }

    private static void WriteDocument(NpgsqlBinaryImporter w, IdentityDocumentRow d)
    {
        w.Write(d.Id, NpgsqlDbType.Bigint);
        w.Write(d.CitizenId, NpgsqlDbType.Bigint);
        w.Write((int)d.Kind, NpgsqlDbType.Integer);
        w.Write(d.Number, NpgsqlDbType.Varchar);
        w.Write(d.IssuedOn, NpgsqlDbType.Date);
        Nullable(w, d.ExpiresOn, NpgsqlDbType.Date);
        w.Write((int)d.Status, NpgsqlDbType.Integer);
        w.Write(d.IssuedBy, NpgsqlDbType.Varchar);
    }

    private static void WriteResidence(NpgsqlBinaryImporter w, ResidenceRecordRow r)
    {
        w.Write(r.Id, NpgsqlDbType.Bigint);
        w.Write(r.CitizenId, NpgsqlDbType.Bigint);
        w.Write((int)r.Kind, NpgsqlDbType.Integer);
        w.Write(r.UnitId, NpgsqlDbType.Integer);
        w.Write(r.RegisteredUnitId, NpgsqlDbType.Integer);
        w.Write(r.Address, NpgsqlDbType.Varchar);
        w.Write(r.ValidFrom, NpgsqlDbType.Date);
        Nullable(w, r.ValidTo, NpgsqlDbType.Date);
    }

    private static void Text(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null)
        {
            w.WriteNull();
        }
        else
        {
            w.Write(value, NpgsqlDbType.Varchar);
        }
    }

    private static void Nullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            w.Write(v, type);
        }
        else
        {
            w.WriteNull();
        }
    }
}
