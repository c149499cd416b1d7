using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Tests.Population;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Dossiers;

/// <summary>
/// A dossier read the access log cannot take is refused, and its cause logged once with the request id the
/// caller's own logs can match, as for registry reads, and without the people the dossier names.
/// </summary>
public sealed class DossierReadLogFailureTests
{
    [Fact]
    public async Task ADossierReadTheLogCannotTake_IsUnavailable_AndItsCauseLoggedWithTheRequestId_WithoutPersonalData()
    {
        await using var registry = await RegistryServer.StartAsync(null);
        await registry.ExecuteSqlAsync(AccessLogOnSqliteTests.BreakSql);
        var official = new CallerIdentity(Guid.NewGuid(), AccountKind.Official, [Role.ProcessingOfficer], "P34-01", null, Guid.NewGuid(), 2);
        var dossier = new DossierRecord
        {
            Code = "P34-01-261201-0007", ProcedureCode = "BCA-TT-01", UnitCode = "P34-01", ApplicantIdNumber = "001090004567",
            ApplicantName = "Nguyễn Văn An", Status = "submitted", SubmitRequestId = "r", ClockStops = "[]", Details = "{}", HistoryHead = "",
        };

        var refused = new List<RpcException>();
        foreach (var requestId in new[] { "req-1", "req-2" })
        {
            await using var scope = registry.Server.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext { TraceIdentifier = requestId };
            refused.Add(await Assert.ThrowsAsync<RpcException>(() => scope.ServiceProvider.GetRequiredService<DossierReadLog>()
                .WriteAsync(official, dossier, ["001190004568"], "/dvc.dossiers.v1.DossierService/GetDossier", CancellationToken.None)));
        }

        Assert.All(refused, e => Assert.Equal(StatusCode.Unavailable, e.StatusCode));
        var causes = registry.Logs.Entries.Where(e => e.Category == typeof(DossierReadLog).FullName).ToList();
        Assert.Equal(["req-1", "req-2"], causes.Select(c => c.Properties["RequestId"] as string));
        Assert.All(causes, cause =>
        {
            Assert.Equal("/dvc.dossiers.v1.DossierService/GetDossier", cause.Properties["Rpc"]);
            Assert.Contains("access log down", cause.Exception?.ToString() ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("001090004567", cause.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("001190004568", cause.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("Nguyễn Văn An", cause.AllText, StringComparison.Ordinal);
        });
    }
}
