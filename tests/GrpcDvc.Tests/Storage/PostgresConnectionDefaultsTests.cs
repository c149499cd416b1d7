using GrpcDvc.Server.Storage;
using Npgsql;

namespace GrpcDvc.Tests.Storage;

/// <summary>The server prepares its repeated statements on PostgreSQL, and hands pooled connections on without a session reset, unless the operator says otherwise.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    private const string Given = "Host=db1;Port=5432;Database=dvc;Username=dvc;Password=secret";

    [Fact]
    public void AutoPrepare_NotSet_IsTurnedOnForTheWriteAndTheReadConnection()
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "postgres", ConnectionString = Given, ReadConnectionString = Given.Replace("db1", "db2", StringComparison.Ordinal) }, "");
        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, new NpgsqlConnectionStringBuilder(target.ConnectionString).MaxAutoPrepare);
        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, new NpgsqlConnectionStringBuilder(target.ReadConnectionString).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0", 0)]
    [InlineData("maxautoprepare=10", 10)]
    [InlineData("MAX AUTO PREPARE = 200", 200)]
    public void AutoPrepare_SetByTheOperator_IsKept(string setting, int expected)
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "postgres", ConnectionString = $"{Given};{setting}" }, "");
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(target.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public void ResetOnClose_NotSet_IsLeftOutForTheWriteAndTheReadConnection()
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "postgres", ConnectionString = Given, ReadConnectionString = Given.Replace("db1", "db2", StringComparison.Ordinal) }, "");
        Assert.True(new NpgsqlConnectionStringBuilder(target.ConnectionString).NoResetOnClose);
        Assert.True(new NpgsqlConnectionStringBuilder(target.ReadConnectionString).NoResetOnClose);
    }

    [Theory]
    [InlineData("No Reset On Close=false")]
    [InlineData("noresetonclose=False")]
    public void ResetOnClose_AskedForByTheOperator_IsKept(string setting)
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "postgres", ConnectionString = $"{Given};{setting}" }, "");
        Assert.False(new NpgsqlConnectionStringBuilder(target.ConnectionString).NoResetOnClose);
    }

    [Fact]
    public void Defaults_KeepEverythingTheOperatorGave()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(Given));
        Assert.Equal(("db1", 5432, "dvc", "dvc", "secret"), (applied.Host, applied.Port, applied.Database, applied.Username, applied.Password));
    }

    [Fact]
    public void Sqlite_ConnectionString_IsLeftAsGiven()
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=/tmp/x.db" }, "");
        Assert.Equal("Data Source=/tmp/x.db", target.ConnectionString);
    }
}
