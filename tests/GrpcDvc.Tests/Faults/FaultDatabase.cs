using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GrpcDvc.Tests.Faults;

/// <summary>
/// The server's tables read straight from the database, beside the server (never through it):
/// what a fault left behind is judged by the rows, not by what the server says about them.
/// Unpooled, so no connection of the test outlives a stop of the database.
/// </summary>
public sealed class FaultDatabase
{
    private readonly Func<DbConnection> _connect;

    private FaultDatabase(Func<DbConnection> connect, string[] serverArgs)
    {
        _connect = connect;
        ServerArgs = serverArgs;
    }

    /// <summary>The settings that point a server at this database.</summary>
    public IReadOnlyList<string> ServerArgs { get; }

    public static FaultDatabase Postgres(string connectionString)
        => new(
            () => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString),
            ["--Dvc:Database:Provider=postgres", $"--Dvc:Database:ConnectionString={connectionString}"]);

    /// <summary>The embedded database in <paramref name="dataDir"/>, where a server started with that data folder keeps it.</summary>
    public static FaultDatabase Sqlite(string dataDir)
        => new(
            () => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "grpcdvc.db"), Pooling = false }.ConnectionString),
            []);

    public async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var connection = _connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = await reader.IsDBNullAsync(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<long> CountAsync(string sql)
        => Convert.ToInt64((await QueryAsync(sql))[0][0], CultureInfo.InvariantCulture);

    /// <summary>The first column of every row, as ids: PostgreSQL gives uuids, SQLite the text EF Core stored.</summary>
    public async Task<HashSet<Guid>> IdsAsync(string sql)
        => [.. (await QueryAsync(sql)).Select(r => Id(r[0]))];

    /// <summary>The first column of every row, as text.</summary>
    public async Task<HashSet<string>> TextsAsync(string sql)
        => [.. (await QueryAsync(sql)).Select(r => Convert.ToString(r[0], CultureInfo.InvariantCulture)!)];

    public static Guid Id(object? value) => value switch
    {
        Guid g => g,
        string s => Guid.Parse(s),
        _ => throw new InvalidOperationException($"Not an id: {value}"),
    };
}
