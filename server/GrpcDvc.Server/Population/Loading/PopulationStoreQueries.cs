using System.Data.Common;
using System.Globalization;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Persistence;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>The read queries both stores share; the SQL is the same on SQLite and PostgreSQL.</summary>
internal static class PopulationStoreQueries
{
    public static async Task<PopulationCounts> CountAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
        => new(
            await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {PopulationSchema.Citizens}", cancellationToken),
            await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {PopulationSchema.Households}", cancellationToken),
            await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {PopulationSchema.IdentityDocuments}", cancellationToken),
            await ScalarAsync(connection, transaction, $"SELECT COUNT(*) FROM {PopulationSchema.ResidenceRecords}", cancellationToken));

    public static async Task<PopulationIdStart> NextIdsAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var usage = new IdNumberUsage();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            // Numbers are handed out in order within each 6-digit prefix, so a count per prefix says where to go on.
            command.CommandText = $"SELECT substr(id_number, 1, 6), COUNT(*) FROM {PopulationSchema.Citizens} GROUP BY substr(id_number, 1, 6)";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (int.TryParse(reader.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
                {
                    usage.Prefixes[prefix] = (int)reader.GetInt64(1);
                }
            }
        }

        usage.Cmnd = await ScalarAsync(connection, transaction,
            $"SELECT COUNT(*) FROM {PopulationSchema.IdentityDocuments} WHERE kind IN ({(int)IdentityDocumentKind.Cmnd9}, {(int)IdentityDocumentKind.Cmnd12})",
            cancellationToken);
        return new PopulationIdStart(
            await NextIdAsync(PopulationSchema.Citizens),
            await NextIdAsync(PopulationSchema.Households),
            await NextIdAsync(PopulationSchema.IdentityDocuments),
            await NextIdAsync(PopulationSchema.ResidenceRecords))
        {
            Usage = usage,
        };

        async Task<long> NextIdAsync(string table)
            => await ScalarAsync(connection, transaction, $"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}", cancellationToken);
    }

    public static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
