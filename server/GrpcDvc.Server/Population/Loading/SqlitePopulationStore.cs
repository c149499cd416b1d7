using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Persistence;
using Microsoft.Data.Sqlite;
using static GrpcDvc.Server.Population.Loading.PopulationStoreQueries;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// Loads with prepared INSERT statements, one transaction per chunk: SQLite's cost is per
/// transaction (the journal sync), not per row. A failed load deletes the rows it added.
/// </summary>
internal sealed class SqlitePopulationStore : IPopulationStore
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _inserts = [];
    private bool _bulk;

    private SqlitePopulationStore(SqliteConnection connection) => _connection = connection;

    public static async Task<SqlitePopulationStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return new SqlitePopulationStore(connection);
    }

    public Task<PopulationCounts> CountAsync(CancellationToken cancellationToken) => PopulationStoreQueries.CountAsync(_connection, null, cancellationToken);

    public Task<PopulationIdStart> NextIdsAsync(CancellationToken cancellationToken) => PopulationStoreQueries.NextIdsAsync(_connection, null, cancellationToken);

    public async Task BeginAsync(bool replace, bool bulk, CancellationToken cancellationToken)
    {
        _bulk = bulk;
        if (bulk)
        {
            // Without its triggers the FTS table is left behind by the load (and by the delete of a
            // replace), and rebuilt once at the end: far cheaper than an FTS insert per citizen.
            foreach (var trigger in CitizenSearchIndex.DropFtsTriggersSql)
            {
                await ExecuteAsync(_connection, null, trigger, cancellationToken);
            }
        }

        if (replace)
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            foreach (var table in PopulationSchema.LoadedTables)
            {
                await ExecuteAsync(_connection, transaction, $"DELETE FROM {table}", cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (bulk)
        {
            foreach (var index in PopulationSchema.Indexes)
            {
                await ExecuteAsync(_connection, null, index.DropSql, cancellationToken);
            }
        }
    }

    public async Task WriteAsync(PopulationChunk chunk, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        Insert(transaction, PopulationSchema.Households, PopulationColumns.Households, chunk.Households, static (p, h) =>
        {
            p[0].Value = h.Id;
            p[1].Value = Db(h.HeadCitizenId);
            p[2].Value = h.UnitId;
            p[3].Value = h.Address;
            p[4].Value = h.EstablishedOn;
        });
        Insert(transaction, PopulationSchema.Citizens, PopulationColumns.Citizens, chunk.Citizens, static (p, c) =>
        {
            p[0].Value = c.Id;
            p[1].Value = c.IdNumber;
            p[2].Value = c.FullName;
            p[3].Value = c.FoldedName;
            p[4].Value = Db(c.OtherNames);
            p[5].Value = c.BirthYear;
            p[6].Value = Db(c.BirthMonth);
            p[7].Value = Db(c.BirthDay);
            p[8].Value = (int)c.Gender;
            p[9].Value = c.Ethnicity;
            p[10].Value = c.Religion;
            p[11].Value = c.Nationality;
            p[12].Value = c.BirthRegistrationUnitId;
            p[13].Value = c.HometownUnitId;
            p[14].Value = c.PermanentUnitId;
            p[15].Value = c.PermanentAddress;
            p[16].Value = Db(c.TemporaryUnitId);
            p[17].Value = Db(c.TemporaryAddress);
            p[18].Value = c.CurrentUnitId;
            p[19].Value = c.CurrentAddress;
            p[20].Value = c.CurrentProvinceId;
            p[21].Value = Db(c.HouseholdId);
            p[22].Value = c.RelationToHead is { } relation ? (int)relation : DBNull.Value;
            p[23].Value = Db(c.FatherIdNumber);
            p[24].Value = Db(c.MotherIdNumber);
            p[25].Value = Db(c.SpouseIdNumber);
            p[26].Value = Db(c.Phone);
            p[27].Value = (int)c.Status;
            p[28].Value = Db(c.DiedOn);
        });
        Insert(transaction, PopulationSchema.IdentityDocuments, PopulationColumns.Documents, chunk.Documents, static (p, d) =>
        {
            p[0].Value = d.Id;
            p[1].Value = d.CitizenId;
            p[2].Value = (int)d.Kind;
            p[3].Value = d.Number;
            p[4].Value = d.IssuedOn;
            p[5].Value = Db(d.ExpiresOn);
            p[6].Value = (int)d.Status;
            p[7].Value = d.IssuedBy;
        });
        Insert(transaction, PopulationSchema.ResidenceRecords, PopulationColumns.Residences, chunk.Residences, static (p, r) =>
        {
            p[0].Value = r.Id;
            p[1].Value = r.CitizenId;
            p[2].Value = (int)r.Kind;
            p[3].Value = r.UnitId;
            p[4].Value = r.RegisteredUnitId;
            p[5].Value = r.Address;
            p[6].Value = r.ValidFrom;
            p[7].Value = Db(r.ValidTo);
        });
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_bulk)
        {
            await RestoreIndexesAsync(cancellationToken);
        }

        await ExecuteAsync(_connection, null, "ANALYZE", cancellationToken);
    }

    public async Task AbortAsync(PopulationIdStart start)
    {
        // Children first, as the foreign keys require.
        (string Table, long FirstId)[] added =
        [
            (PopulationSchema.ResidenceRecords, start.Residence), (PopulationSchema.IdentityDocuments, start.Document),
            (PopulationSchema.Citizens, start.Citizen), (PopulationSchema.Households, start.Household),
        ];
        await using (var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(CancellationToken.None))
        {
            foreach (var (table, firstId) in added)
            {
                await ExecuteAsync(_connection, transaction, $"DELETE FROM {table} WHERE id >= {firstId}", CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        if (_bulk)
        {
            await RestoreIndexesAsync(CancellationToken.None);
        }
    }

    public async Task<long> DatabaseSizeAsync(CancellationToken cancellationToken)
        => await ScalarAsync(_connection, null, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _inserts.Values)
        {
            await command.DisposeAsync();
        }

        await _connection.DisposeAsync();
    }

    private async Task RestoreIndexesAsync(CancellationToken cancellationToken)
    {
        foreach (var index in PopulationSchema.Indexes)
        {
            await ExecuteAsync(_connection, null, index.CreateSql, cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
        foreach (var trigger in CitizenSearchIndex.CreateFtsTriggersSql)
        {
            await ExecuteAsync(_connection, transaction, trigger, cancellationToken);
        }

        await ExecuteAsync(_connection, transaction, CitizenSearchIndex.RebuildFtsSql, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private void Insert<T>(SqliteTransaction transaction, string table, string[] columns, List<T> rows, Action<SqliteParameterCollection, T> bind)
    {
        if (!_inserts.TryGetValue(table, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = $"INSERT INTO {table} ({PopulationColumns.List(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
            for (var i = 0; i < columns.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter($"$p{i}", null));
            }

            _inserts[table] = command;
        }

        command.Transaction = transaction;
        command.Prepare();
        foreach (var row in rows)
        {
            bind(command.Parameters, row);
            command.ExecuteNonQuery();
        }
    }

    private static object Db<T>(T? value)
        where T : struct => value is { } v ? v : DBNull.Value;

    private static object Db(string? value) => value is null ? DBNull.Value : value;
}
