using GrpcDvc.Server.Population;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// The in-process server with the real provinces in administrative_units plus a district and a
/// commune under Cao Bằng (P34-04) and under the old Hà Giang (P63-002, now in Tuyên Quang P34-08).
/// </summary>
public sealed class AccessServerFixture : IAsyncLifetime
{
    public const string CaoBangCommune = "TEST-CB-X1";
    public const string OldHaGiangCommune = "TEST-HG-X1";

    public InProcessServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InProcessServer.StartAsync();
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var provinces = AdministrativeUnitData.Load(AdministrativeUnitData.DefaultPath).ToRows();
        await AdministrativeUnitSeeder.SeedAsync(db, [.. provinces, .. LocalUnits()], CancellationToken.None);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private static IEnumerable<AdministrativeUnitRow> LocalUnits()
    {
        yield return Unit(990_001, "TEST-CB-H1", AdministrativeLevel.District, 2004);
        yield return Unit(990_002, CaoBangCommune, AdministrativeLevel.Commune, 990_001);
        yield return Unit(990_003, "TEST-HG-H1", AdministrativeLevel.District, 1002);
        yield return Unit(990_004, OldHaGiangCommune, AdministrativeLevel.Commune, 990_003);
    }

    private static AdministrativeUnitRow Unit(int id, string code, AdministrativeLevel level, int parentId) => new()
    {
        Id = id, Code = code, Level = level, Name = code, FoldedName = code, ParentId = parentId, IsSynthetic = true,
    };
}
