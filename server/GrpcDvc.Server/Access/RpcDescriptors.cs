using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace GrpcDvc.Server.Access;

/// <summary>
/// The proto descriptor of the rpc a call is for, so rules declared in the proto (the access policy) apply
/// to it. grpc-dotnet tells the call's service type (endpoint metadata); the base class Grpc.Tools generated
/// for it names the static class whose <c>Descriptor</c> is the proto service.
/// </summary>
public static class RpcDescriptors
{
    private static readonly ConcurrentDictionary<Type, ServiceDescriptor?> Services = new();

    /// <summary>The rpc's descriptor; throws when the call reached no generated gRPC service (a wiring mistake).</summary>
    public static MethodDescriptor Of(ServerCallContext context)
    {
        var metadata = context.GetHttpContext().GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()
            ?? throw new InvalidOperationException($"{context.Method} was not routed to a gRPC service.");
        var service = Services.GetOrAdd(metadata.ServiceType, ServiceOf)
            ?? throw new InvalidOperationException($"{metadata.ServiceType.Name} does not derive from a Grpc.Tools-generated service base.");
        return service.FindMethodByName(metadata.Method.Name)
            ?? throw new InvalidOperationException($"{service.FullName} declares no rpc {metadata.Method.Name}.");
    }

    /// <summary>The proto service a service implementation (or its generated base) binds, or null.</summary>
    public static ServiceDescriptor? ServiceOf(Type implementation)
    {
        for (var type = implementation; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is { } bind)
            {
                return bind.BindType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ServiceDescriptor;
            }
        }

        return null;
    }
}
