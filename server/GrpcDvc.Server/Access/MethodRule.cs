using System.Collections.Concurrent;
using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using Grpc.Core;
using GrpcDvc.Contracts.Auth.V1;
using GrpcDvc.Contracts.Population.V1;

namespace GrpcDvc.Server.Access;

/// <summary>
/// What the gate needs to know of one rpc, worked out once from its descriptor: its policy, the
/// roles that may call it, where its request carries the purpose, and whether it counts as a lookup.
/// </summary>
public sealed class MethodRule
{
    private MethodRule(string fullName, Policy? policy, bool infrastructure, FrozenSet<Role> roles, FieldDescriptor? accessContextField, bool lookupLimited)
    {
        FullName = fullName;
        Policy = policy;
        IsInfrastructure = infrastructure;
        AllowedRoles = roles;
        AccessContextField = accessContextField;
        IsLookupLimited = lookupLimited;
    }

    /// <summary>"package.Service.Method".</summary>
    public string FullName { get; }

    /// <summary>The declared policy; null means nobody may call (unless <see cref="IsInfrastructure"/>).</summary>
    public Policy? Policy { get; }

    /// <summary>An allow-listed service without a policy (health, reflection, test harness services).</summary>
    public bool IsInfrastructure { get; }

    /// <summary>
    /// The roles of the policy; a citizen_self policy lets citizens in too (for their own records,
    /// which the service checks against the subject).
    /// </summary>
    public FrozenSet<Role> AllowedRoles { get; }

    /// <summary>The request's top-level field of type dvc.population.v1.AccessContext, if any.</summary>
    public FieldDescriptor? AccessContextField { get; }

    /// <summary>Counts against the per-address and per-account lookup limits.</summary>
    public bool IsLookupLimited { get; }

    public static MethodRule For(MethodDescriptor method, AccessOptions options)
    {
        var service = method.Service.FullName;
        var policy = method.GetOptions()?.GetExtension(PolicyExtensions.Policy);
        var infrastructure = policy is null
            && (AccessOptions.InfrastructureServices.Contains(service) || options.ServicesWithoutPolicy.Contains(service));
        var roles = policy is null ? [] : policy.Roles.Where(r => r != Role.Unspecified).ToHashSet();
        if (policy is { CitizenSelf: true })
        {
            roles.Add(Role.Citizen);
        }

        return new MethodRule(
            method.FullName,
            policy,
            infrastructure,
            roles.ToFrozenSet(),
            FindAccessContext(method),
            policy is not null && options.EffectiveLookupLimitedServices.Contains(service));
    }

    /// <summary>
    /// Found by type rather than by name, so every rpc that reads a citizen's data is checked the
    /// same way without code per rpc. Only unary and server-streaming requests can be inspected
    /// before the call runs.
    /// </summary>
    private static FieldDescriptor? FindAccessContext(MethodDescriptor method)
        => method.IsClientStreaming
            ? null
            : method.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f =>
                f.FieldType == FieldType.Message && !f.IsRepeated && f.MessageType.FullName == AccessContext.Descriptor.FullName);
}

/// <summary>The <see cref="MethodRule"/> of each rpc, built at its first call and kept.</summary>
public sealed class MethodRules(AccessOptions options)
{
    // Keyed by the call's path ("/package.Service/Method", what ServerCallContext.Method says), so a call finds
    // its rule with one lookup and the descriptor is worked out only at the rpc's first call.
    private readonly ConcurrentDictionary<string, MethodRule> _rules = new(StringComparer.Ordinal);

    public MethodRule For(MethodDescriptor method)
        => _rules.GetOrAdd(PathOf(method), static (_, arg) => MethodRule.For(arg.method, arg.options), (method, options));

    /// <summary>The rule of the rpc <paramref name="context"/> is a call of (its descriptor found through <see cref="RpcDescriptors"/>).</summary>
    public MethodRule For(ServerCallContext context)
        => _rules.TryGetValue(context.Method, out var rule) ? rule : For(RpcDescriptors.Of(context));

    /// <summary>The number of rpcs whose rule has been worked out (each once).</summary>
    public int Count => _rules.Count;

    private static string PathOf(MethodDescriptor method) => $"/{method.Service.FullName}/{method.Name}";
}
