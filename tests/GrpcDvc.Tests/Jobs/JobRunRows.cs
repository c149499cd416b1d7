using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GrpcDvc.Tests.Jobs;

/// <summary>A row of job_runs as the tests read it, straight from the database the servers share.</summary>
public sealed record JobRunRow(long Id, string Job, string InstanceId, string FireInstanceId, DateTimeOffset ScheduledFireAt, DateTimeOffset FiredAt, bool Succeeded)
{
    /// <summary>The runs of one job ("group", "name"), in the order they were recorded.</summary>
    public static async Task<List<JobRunRow>> ReadAsync(DbConnection connection, string group, string name)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, job_group, job_name, instance_id, fire_instance_id, scheduled_fire_at, fired_at, succeeded "
                + "FROM job_runs WHERE job_group = @g AND job_name = @n ORDER BY id";
            Add(command, "@g", group);
            Add(command, "@n", name);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<JobRunRow>();
            while (await reader.ReadAsync())
            {
                rows.Add(new JobRunRow(reader.GetInt64(0), $"{reader.GetString(1)}.{reader.GetString(2)}", reader.GetString(3), reader.GetString(4),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetBoolean(7)));
            }

            return rows;
        }
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    public static Task<List<JobRunRow>> HeartbeatsOnPostgresAsync(string connectionString)
        => ReadAsync(new NpgsqlConnection(connectionString), "jobs", "heartbeat");

    public static Task<List<JobRunRow>> HeartbeatsOnSqliteAsync(string dataDir)
        => ReadAsync(new SqliteConnection($"Data Source={Path.Combine(dataDir, "grpcdvc.db")};Pooling=False"), "jobs", "heartbeat");

    /// <summary>Polls until <paramref name="done"/> holds for the rows read, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<List<JobRunRow>> WaitForAsync(Func<Task<List<JobRunRow>>> read, Func<List<JobRunRow>, bool> done, TimeSpan timeout, string what)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var rows = await read();
            if (done(rows))
            {
                return rows;
            }

            if (DateTimeOffset.UtcNow > until)
            {
                throw new TimeoutException($"Not within {timeout}: {what}. Runs so far:\n{string.Join('\n', rows)}");
            }

            await Task.Delay(250);
        }
    }
}
