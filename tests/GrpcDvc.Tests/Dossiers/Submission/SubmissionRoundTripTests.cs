using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Identity.Accounts;
using GrpcDvc.Server.Population.DataAccessLog;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Tests.Population;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static GrpcDvc.Tests.Dossiers.Submission.SubmissionServer;

namespace GrpcDvc.Tests.Dossiers.Submission;

/// <summary>
/// What one SubmitDossier sends to the database once warm (catalog, calendar and routing's units
/// cached), for one declared person as for several: the retry check, ONE read of every declared
/// person, then the transaction: the code counter and ONE batch of inserts (the dossier, its people,
/// its first event and the registry reads' access-log entries), committed together. PostgreSQL gets
/// the batch as one command (BEGIN goes with the counter's, so five round trips in all); SQLite, in
/// process, takes EF Core's inserts one command each. Also what the access-log entries' place in that
/// transaction must not lose: a submission refused after the check still logs its reads, and one whose
/// entries cannot be written is UNAVAILABLE with nothing written. Once per provider.
/// </summary>
public abstract class SubmissionRoundTripTests : IAsyncLifetime
{
    private const string SubmitRpc = "/dvc.dossiers.v1.DossierService/SubmitDossier";
    private const string ReceiveRpc = "/dvc.dossiers.v1.DossierService/ReceiveDossier";

    private SubmissionServer Server { get; set; } = null!;

    public async Task InitializeAsync() => Server = await SubmissionServer.StartWithAsync(await PostgresAsync(), DatabaseCalls.Register);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected abstract Task<string?> PostgresAsync();

    /// <summary>EF Core sends a SaveChanges' inserts as one command (PostgreSQL) or one command each (SQLite).</summary>
    protected abstract bool BatchesInserts { get; }

    protected abstract string BreakAccessLogSql { get; }

    [Fact]
    public async Task Submit_OnePersonWarm_IsTheRetryCheckOneRegistryReadTheCounterAndOneInsertBatch()
    {
        var applicant = await WarmAsync();

        await Server.SubmitAsync("lan", Confirmation(applicant));

        AssertSent(people: 1);
    }

    [Fact]
    public async Task Submit_ThreePeopleWarm_StillOneRegistryReadAndOneInsertBatch()
    {
        var applicant = await WarmAsync();
        var child = await Server.Registry.Data.AddCitizenAsync("Trần Minh Khôi", 2015);
        var spouse = await Server.Registry.Data.AddCitizenAsync("Trần Văn Hùng", 1985);
        var request = Confirmation(applicant);
        request.People.Add(new PersonConcerned { Declaration = Declare(child), Relationship = "con" });
        request.People.Add(new PersonConcerned { Declaration = Declare(spouse), Relationship = "chồng" });

        await Server.SubmitAsync("lan", request);

        AssertSent(people: 3);
        var read = Assert.Single(Calls.LastReads(SubmitRpc), r => r.Sql.Contains("citizens", StringComparison.Ordinal));
        Assert.Equal(
            new[] { applicant.IdNumber, child.IdNumber, spouse.IdNumber }.Order(StringComparer.Ordinal),
            read.Parameters.SelectMany(Values).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Submit_Accepted_CommitsEachPersonsReadWithTheDossier_NamingTheFieldsCompared()
    {
        var applicant = await Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        var child = await Server.Registry.Data.AddCitizenAsync("Trần Minh Khôi", 2015);
        var request = Confirmation(applicant);
        request.People.Add(new PersonConcerned { Declaration = Declare(child), Relationship = "con" });

        await Server.SubmitAsync("lan", request);

        var logged = (await LoggedAsync()).ToDictionary(e => e.SubjectIdNumber);
        Assert.Equal(new[] { applicant.IdNumber, child.IdNumber }.Order(StringComparer.Ordinal), logged.Keys.Order(StringComparer.Ordinal));
        Assert.All(logged.Values, e => Assert.Equal(($"submission {request.RequestId}", SubmitRpc), (e.Reference, e.Rpc)));
        Assert.All(logged.Values, e => Assert.Contains("full_name", e.Fields, StringComparison.Ordinal));
        // Routing without a commune code reads the applicant's permanent residence: the entry says so.
        Assert.Contains("permanent_residence", logged[applicant.IdNumber].Fields, StringComparison.Ordinal);
        Assert.DoesNotContain("permanent_residence", logged[child.IdNumber].Fields, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_RefusedAfterTheCheck_StillLogsTheReads()
    {
        var applicant = await Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        var foreign = await Server.AttachmentAsync(Guid.NewGuid(), "Giấy tờ của người khác");
        var request = Confirmation(applicant);
        request.AttachmentIds.Add(foreign.ToString());

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", request));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal((0, 0, 0, 0), await Server.CountsAsync());
        Assert.Equal([applicant.IdNumber], (await LoggedAsync()).Select(e => e.SubjectIdNumber));
    }

    [Fact]
    public async Task Submit_AccessLogCannotBeWritten_UnavailableAndNothingWritten()
    {
        var applicant = await Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        await Server.Registry.ExecuteSqlAsync(BreakAccessLogSql);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Server.SubmitAsync("lan", Confirmation(applicant)));

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal((0, 0, 0, 0), await Server.CountsAsync());
    }

    [Fact]
    public async Task Receive_Warm_IsOneReadOfTheDossierAndAnyFirstAnswer_ThenTheUpdateItsEventAndTheLogInOneBatch()
    {
        var applicant = await Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        var first = (await Server.SubmitAsync("lan", Confirmation(applicant))).Dossier;
        var second = (await Server.SubmitAsync("lan", Confirmation(applicant))).Dossier;
        var intake = Server.Registry.Callers.Official("intake", first.UnitCode, Role.IntakeOfficer);
        await Server.WithDbAsync(async db =>
        {
            // A real account, whose name the event and the access log keep.
            db.Add(new OfficialAccountRecord
            {
                Id = intake.AccountId, Username = "intake", FullName = "Phạm Thị Tiếp", AgencyUnitCode = first.UnitCode, PasswordHash = "-", TotpSecretSealed = "-",
            });
            return await db.SaveChangesAsync();
        });
        var dossiers = new DossierService.DossierServiceClient(Server.Registry.Server.Channel);
        // The first receipt fills the caches (the catalog, the unit, the official's name).
        await dossiers.ReceiveDossierAsync(new ReceiveDossierRequest { RequestId = Guid.NewGuid().ToString(), Code = first.Code, ExpectedVersion = 1 }, As("intake"));

        var received = await dossiers.ReceiveDossierAsync(
            new ReceiveDossierRequest { RequestId = Guid.NewGuid().ToString(), Code = second.Code, ExpectedVersion = 1 }, As("intake"));

        Assert.Equal((DossierStatus.Received, 2L), (received.Dossier.Status, received.Dossier.Version));
        // The tests' agency scope reads the unit tree on every call; the server's own caches it (AgencyScopeStorageTests).
        var sent = Calls.LastCall(ReceiveRpc).Where(sql => !sql.Contains("administrative_units", StringComparison.Ordinal)).ToList();
        var shown = string.Join("\n---\n", sent);
        var writes = BatchesInserts ? 1 : 3;
        Assert.True(sent.Count == 3 + writes, $"Expected {3 + writes} notes, got {sent.Count}:\n{shown}");
        Assert.Matches(@"^SELECT[\s\S]*FROM ""?dossiers""?", sent[0].TrimStart());
        Assert.Contains("dossier_events", sent[0], StringComparison.Ordinal);
        // The retry check looks at the dossier's own events only: a window function here ranked every
        // event with the request id (a scan of the whole table; 18 ms of PostgreSQL per call at 100,000 dossiers).
        Assert.DoesNotContain("OVER(", sent[0], StringComparison.Ordinal);
        Assert.Equal(DatabaseCalls.Begin, sent[1]);
        var batch = string.Join('\n', sent.Skip(2).Take(writes));
        Assert.Matches(@"UPDATE ""?dossiers""?", batch);
        Assert.Equal(1, Count(batch, "dossier_events"));
        Assert.Equal(1, Count(batch, "data_accesses"));
        Assert.Equal(DatabaseCalls.Commit, sent[^1]);
    }

    private DatabaseCalls Calls => (DatabaseCalls)Server.Registry.Server.Services.GetService(typeof(DatabaseCalls))!;

    // The applicant signed in, and one submission that fills the caches, so what is measured is what every later one costs.
    private async Task<CitizenRow> WarmAsync()
    {
        var applicant = await Server.CitizenAsync("lan", "Nguyễn Thị Lan");
        await Server.SubmitAsync("lan", Confirmation(applicant));
        return applicant;
    }

    private void AssertSent(int people)
    {
        var sent = Calls.LastCall(SubmitRpc);
        var shown = string.Join("\n---\n", sent);
        var inserts = BatchesInserts ? 1 : 2 + (2 * people);
        Assert.True(sent.Count == 5 + inserts, $"Expected {5 + inserts} notes, got {sent.Count}:\n{shown}");
        Assert.Matches(@"^SELECT[\s\S]*FROM ""?dossiers""?", sent[0].TrimStart());
        Assert.Matches(@"^SELECT[\s\S]*FROM ""?citizens""?", sent[1].TrimStart());
        Assert.Equal(DatabaseCalls.Begin, sent[2]);
        Assert.Matches(@"^INSERT INTO dossier_code_counters", sent[3].TrimStart());
        var batch = string.Join('\n', sent.Skip(4).Take(inserts));
        Assert.All(sent.Skip(4).Take(inserts), sql => Assert.StartsWith("INSERT INTO", sql.TrimStart(), StringComparison.Ordinal));
        Assert.Equal(1, Count(batch, "dossiers"));
        Assert.Equal(1, Count(batch, "dossier_events"));
        Assert.Equal(people, Count(batch, "dossier_people"));
        Assert.Equal(people, Count(batch, "data_accesses"));
        Assert.Equal(DatabaseCalls.Commit, sent[^1]);
    }

    private static int Count(string sql, string table)
        => sql.Split("INSERT INTO ").Count(s => s.StartsWith(table + " ", StringComparison.Ordinal) || s.StartsWith($"\"{table}\" ", StringComparison.Ordinal));

    private static IEnumerable<string> Values(object? parameter) => parameter switch
    {
        string one => [one],
        IEnumerable<string> many => many,
        _ => [],
    };

    private Task<List<DataAccessRecord>> LoggedAsync()
        => Server.WithDbAsync(db => db.Set<DataAccessRecord>().Where(a => a.Rpc == SubmitRpc).ToListAsync());

    private static SubmitDossierRequest Confirmation(CitizenRow applicant)
    {
        // As the benchmark submits: a residence confirmation routed by the registry's permanent residence.
        var request = TemporaryResidence(applicant);
        UseProcedure(request, "BCA-L4-09", applicant);
        request.CommuneCode = "";
        return request;
    }
}

public sealed class SubmissionRoundTripOnSqliteTests : SubmissionRoundTripTests
{
    protected override bool BatchesInserts => false;

    protected override string BreakAccessLogSql =>
        "CREATE TRIGGER access_log_down BEFORE INSERT ON data_accesses BEGIN SELECT RAISE(ABORT, 'access log down'); END;";

    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class SubmissionRoundTripOnPostgresTests(PostgresCluster cluster) : SubmissionRoundTripTests
{
    protected override bool BatchesInserts => true;

    protected override string BreakAccessLogSql => """
        CREATE FUNCTION access_log_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'access log down'; END $$;
        CREATE TRIGGER access_log_down BEFORE INSERT ON data_accesses FOR EACH ROW EXECUTE FUNCTION access_log_down();
        """;

    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
