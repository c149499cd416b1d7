using System.Reflection;
using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Catalog;

namespace GrpcDvc.Tests.Hosting;

/// <summary>
/// grpc-dotnet answers an rpc the service class does not override with UNIMPLEMENTED, silently. Every rpc
/// the contract declares must have its override.
/// </summary>
public sealed class ServiceImplementationTests
{
    private static readonly Type[] ServerServices = [.. typeof(CatalogGrpcService).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && RpcDescriptors.ServiceOf(t) is not null)];

    [Fact]
    public void TheServer_ImplementsEveryServiceOfTheContract()
    {
        var implemented = ServerServices.Select(t => RpcDescriptors.ServiceOf(t)!.FullName).ToHashSet();
        var declared = new[]
        {
            Contracts.Catalog.V1.CatalogReflection.Descriptor, Contracts.Identity.V1.IdentityReflection.Descriptor,
            Contracts.Population.V1.PopulationReflection.Descriptor, Contracts.Audit.V1.AuditReflection.Descriptor,
        }.SelectMany(f => f.Services).Select(s => s.FullName);

        Assert.Subset(implemented, declared.ToHashSet());
    }

    [Fact]
    public void EveryRpcOfEveryServerService_IsOverridden()
    {
        var missing = ServerServices.SelectMany(MissingOverrides).ToList();

        Assert.NotEmpty(ServerServices);
        Assert.True(missing.Count == 0, $"Rpcs without an override (clients would get UNIMPLEMENTED): {string.Join(", ", missing)}");
    }

    [Fact]
    public void MissingOverrides_OfAServiceThatLeavesAnRpcOut_NamesIt()
        => Assert.Equal(["dvc.catalog.v1.CatalogService.GetProcedure"], MissingOverrides(typeof(HalfCatalog)));

    private static IEnumerable<string> MissingOverrides(Type implementation)
    {
        var service = RpcDescriptors.ServiceOf(implementation)!;
        var generatedBase = implementation;
        while (!generatedBase.IsDefined(typeof(BindServiceMethodAttribute), inherit: false))
        {
            generatedBase = generatedBase.BaseType!;
        }

        foreach (var rpc in service.Methods)
        {
            var method = implementation.GetMethod(rpc.Name, BindingFlags.Public | BindingFlags.Instance);
            if (method is null || method.DeclaringType == generatedBase)
            {
                yield return rpc.FullName;
            }
        }
    }

    private sealed class HalfCatalog : Contracts.Catalog.V1.CatalogService.CatalogServiceBase
    {
        public override Task<Contracts.Catalog.V1.ListProceduresResponse> ListProcedures(Contracts.Catalog.V1.ListProceduresRequest request, ServerCallContext context)
            => Task.FromResult(new Contracts.Catalog.V1.ListProceduresResponse());

        public override Task<Contracts.Catalog.V1.GetProcedureFormResponse> GetProcedureForm(Contracts.Catalog.V1.GetProcedureFormRequest request, ServerCallContext context)
            => Task.FromResult(new Contracts.Catalog.V1.GetProcedureFormResponse());
    }
}
