using System.Collections.Concurrent;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Population.Persistence;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// Stands in for the authorization interceptor in these tests: the call names a caller by the
/// "x-test-caller" header and this interceptor puts that caller in the call, as the real one
/// does after validating a token.
/// </summary>
public sealed class TestCallerInterceptor(TestCallers callers) : CallerStandIn
{
    public const string Header = "x-test-caller";

    protected override void Before(ServerCallContext context)
    {
        if (context.RequestHeaders.GetValue(Header) is { } key && callers.Find(key) is { } caller)
        {
            context.SetCaller(caller);
        }
    }
}

/// <summary>The callers tests act as, by key.</summary>
public sealed class TestCallers
{
    private readonly ConcurrentDictionary<string, CallerIdentity> _callers = new();

    public CallerIdentity? Find(string key) => _callers.GetValueOrDefault(key);

    public CallerIdentity Official(string key, string agencyUnit, params Role[] roles)
        => _callers[key] = new CallerIdentity(Guid.NewGuid(), AccountKind.Official, roles, agencyUnit, null, Guid.NewGuid(), 0);

    public CallerIdentity Citizen(string key, string idNumber)
        => _callers[key] = new CallerIdentity(Guid.NewGuid(), AccountKind.Citizen, [Role.Citizen], null, idNumber, Guid.NewGuid(), 2);
}

/// <summary>
/// The scope rule in its simplest true form for tests: the subject's unit codes hold every level
/// of their residence, so an agency covers them when its own code is among them. A search's units
/// come from the server's hierarchy rule over the units in the database, read on every call.
/// </summary>
public sealed class TestAgencyScope(IServiceScopeFactory scopes) : IAgencyScope
{
    /// <summary>The unit that covers the whole country here, as the Ministry's does in production.</summary>
    public const string NationalUnit = "BCA";

    public Task<bool> CoversAsync(string agencyUnitCode, IReadOnlyCollection<string> subjectUnitCodes, CancellationToken cancellationToken)
        => Task.FromResult(agencyUnitCode == NationalUnit || subjectUnitCodes.Contains(agencyUnitCode));

    public async Task<IReadOnlyCollection<int>?> CoveredUnitIdsAsync(string agencyUnitCode, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var units = await scope.ServiceProvider.GetRequiredService<DvcDbContext>().Set<AdministrativeUnitRow>()
            .Select(u => new UnitLink(u.Id, u.Code, u.ParentId, u.SuccessorId)).ToListAsync(cancellationToken);
        return new AgencyHierarchy(units, [NationalUnit]).CoveredUnitIds(agencyUnitCode);
    }
}
