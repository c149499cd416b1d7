using GrpcDvc.Server.Storage;

namespace GrpcDvc.Tests.Storage;

/// <summary>Dvc:Database:ReadConnectionString: PostgreSQL only, optional, and shown in the start-up line.</summary>
public sealed class ReadConnectionStringTests
{
    private const string Primary = "Host=db1;Port=5432;Database=dvc;Username=dvc;Password=secret";
    private const string Standby = "Host=db2;Port=5433;Database=dvc;Username=dvc;Password=secret";

    [Fact]
    public void ReadConnectionString_OnSqlite_IsRefusedAtStart()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => DatabaseTarget.From(
            new DatabaseOptions { Provider = "sqlite", ReadConnectionString = Standby }, Path.GetTempPath()));
        Assert.Contains("ReadConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadConnectionString_Unset_LeavesEveryReadOnThePrimary()
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "postgres", ConnectionString = Primary, ReadConnectionString = " " }, "");
        Assert.Null(target.ReadConnectionString);
        Assert.Equal("PostgreSQL (db1:5432/dvc)", target.Describe());
    }

    [Fact]
    public void ReadConnectionString_Set_IsDescribedWithoutItsPassword()
    {
        var target = DatabaseTarget.From(new DatabaseOptions { Provider = "postgres", ConnectionString = Primary, ReadConnectionString = Standby }, "");
        Assert.Equal("db2", new Npgsql.NpgsqlConnectionStringBuilder(target.ReadConnectionString).Host);
        Assert.Equal("PostgreSQL (db1:5432/dvc, registry reads from db2:5433/dvc)", target.Describe());
        Assert.DoesNotContain("secret", target.Describe(), StringComparison.Ordinal);
    }
}
