using Grpc.Core;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Contracts.Identity.V1;
using GrpcDvc.Contracts.Population.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Dossiers.Submission;

/// <summary>
/// A demo citizen of the README signs in VNeID-style, reads their own record as a portal would, and
/// submits a temporary-residence registration (BCA-L4-03) and a DC02 information request from the
/// national population database (BCA-L4-15), through the real gate and server, once per provider.
/// </summary>
public abstract class SubmitOverGrpcTests
{
    /// <summary>Nguyễn Anh Anh, a demo citizen of Hà Nội (README, "Accounts in the demo").</summary>
    private const string DemoCitizen = "001096977891";

    /// <summary>Today's Hà Nội: the demo officials' unit.</summary>
    private const string Hanoi = "P34-01";

    protected abstract Task<string?> PostgresAsync();

    [Fact]
    public async Task DemoCitizen_SubmitsTemporaryResidenceAndAnInformationRequest_RoutedWithinHanoi()
    {
        await using var server = await InProcessServer.StartAsync(await PostgresAsync(), "--Dvc:Population:DemoCitizens=2000");
        var bearer = await SignInAsync(server);
        var me = (await new PopulationService.PopulationServiceClient(server.Channel).GetMyRecordAsync(new GetMyRecordRequest(), bearer)).Citizen;
        var applicant = new Declaration { IdNumber = me.IdNumber, FullName = me.FullName, BirthDate = me.BirthDate, Gender = me.Gender };
        var dossiers = new DossierService.DossierServiceClient(server.Channel);
        var birth = new DateOnly(me.BirthDate.Year, Math.Max(me.BirthDate.Month, 1), Math.Max(me.BirthDate.Day, 1));

        var residence = (await dossiers.SubmitDossierAsync(new SubmitDossierRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProcedureCode = "BCA-L4-03",
            Applicant = applicant,
            Form = { SubmissionServer.FormFor("BCA-L4-03", me.FullName, birth, me.Gender == Gender.Female, me.IdNumber) },
            Delivery = new ResultDelivery { Method = DeliveryMethod.Online },
        }, bearer)).Dossier;
        var information = (await dossiers.SubmitDossierAsync(new SubmitDossierRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            ProcedureCode = "BCA-L4-15",
            Applicant = applicant,
            Form = { SubmissionServer.FormFor("BCA-L4-15", me.FullName, birth, me.Gender == Gender.Female, me.IdNumber) },
            Delivery = new ResultDelivery { Method = DeliveryMethod.Email, Email = "anh.nguyen@example.vn" },
        }, bearer)).Dossier;

        // Residence goes to the commune police of the citizen's permanent residence, the extraction to the province's.
        Assert.Equal(me.PermanentResidence.CommuneCode, residence.UnitCode);
        Assert.Matches($"^{residence.UnitCode}-\\d{{6}}-0001$", residence.Code);
        Assert.NotNull(residence.DueAt);
        Assert.Equal(Hanoi, information.UnitCode);
        // Khai thác thông tin: 3 working days (portal record 1.010097), from the catalog's dated terms.
        Assert.NotNull(information.DueAt);
        Assert.Equal(("Mới đăng ký", "anh.nguyen@example.vn"), (information.StatusName, information.Delivery.Email));
        // Both lie within the demo officials' agency scope.
        var scope = server.Services.GetRequiredService<IAgencyScope>();
        Assert.True(await scope.CoversAsync(Hanoi, [residence.UnitCode, information.UnitCode], CancellationToken.None));
    }

    [Fact]
    public async Task Official_CannotSubmit_AndAnonymousCannotEither()
    {
        await using var server = await InProcessServer.StartAsync(await PostgresAsync(), "--Dvc:Population:DemoCitizens=0");
        var dossiers = new DossierService.DossierServiceClient(server.Channel);
        var official = Access.TestCallers.Bearer(await Access.TestCallers.OfficialAsync(server, Hanoi, Contracts.Auth.V1.Role.IntakeOfficer));

        var refused = await Assert.ThrowsAsync<RpcException>(() => dossiers.SubmitDossierAsync(new SubmitDossierRequest(), official).ResponseAsync);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => dossiers.SubmitDossierAsync(new SubmitDossierRequest()).ResponseAsync);

        Assert.Equal((StatusCode.PermissionDenied, StatusCode.Unauthenticated), (refused.StatusCode, anonymous.StatusCode));
    }

    /// <summary>The demo citizen signed in VNeID-style through the development stand-in, as a portal would.</summary>
    internal static async Task<CallOptions> SignInAsync(InProcessServer server)
    {
        var assertion = await new DevelopmentService.DevelopmentServiceClient(server.Channel).IssueDevelopmentAssertionAsync(
            new IssueDevelopmentAssertionRequest { IdNumber = DemoCitizen, FullName = "Nguyễn Anh Anh", BirthDate = "1996-01-01", AssuranceLevel = 2 });
        var tokens = await new IdentityService.IdentityServiceClient(server.Channel).ExchangeIdentityAssertionAsync(
            new ExchangeIdentityAssertionRequest { Assertion = assertion.Assertion });
        return new CallOptions(new Metadata { { "authorization", "Bearer " + tokens.AccessToken } });
    }
}

public sealed class SubmitOverGrpcOnSqliteTests : SubmitOverGrpcTests
{
    protected override Task<string?> PostgresAsync() => Task.FromResult<string?>(null);
}

[Collection(PostgresCollection.Name)]
public sealed class SubmitOverGrpcOnPostgresTests(PostgresCluster cluster) : SubmitOverGrpcTests
{
    protected override async Task<string?> PostgresAsync() => await cluster.CreateDatabaseAsync();
}
