using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Binds each rpc of a proto service descriptor to the method of the same name on the service
/// class. The descriptor, not the class, decides what must exist: a declared rpc without a
/// matching handler fails start-up instead of failing a caller later.
/// </summary>
internal static class MethodBinder
{
    public static IReadOnlyList<ServerCallHandler> Bind(
        Type serviceType, ServiceDescriptor service, GrpcServerOptions options, ILogger logger)
    {
        var handlers = new List<ServerCallHandler>();
        var missing = new List<string>();
        foreach (var method in service.Methods)
        {
            var handler = TryBind(serviceType, method, options, logger);
            if (handler is null)
            {
                missing.Add(Describe(method));
            }
            else
            {
                handlers.Add(handler);
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{serviceType.Name} does not implement every rpc of {service.FullName}; missing: {string.Join("; ", missing)}.");
        }

        return handlers;
    }

    private static ServerCallHandler? TryBind(Type serviceType, MethodDescriptor method, GrpcServerOptions options, ILogger logger)
    {
        if (method.IsClientStreaming || method.IsServerStreaming)
        {
            // Streaming call kinds come with their own handlers; until then such an rpc cannot be bound.
            return null;
        }

        var requestType = method.InputType.ClrType;
        var responseType = method.OutputType.ClrType;
        var info = serviceType.GetMethod(
            method.Name,
            BindingFlags.Public | BindingFlags.Instance,
            [requestType, typeof(ServerCallContext)]);
        if (info is null || info.ReturnType != typeof(Task<>).MakeGenericType(responseType))
        {
            return null;
        }

        var handlerType = typeof(UnaryServerCallHandler<,,>).MakeGenericType(serviceType, requestType, responseType);
        var invokerType = typeof(Func<,,,>).MakeGenericType(serviceType, requestType, typeof(ServerCallContext), info.ReturnType);
        var invoker = Delegate.CreateDelegate(invokerType, info);
        return (ServerCallHandler)Activator.CreateInstance(handlerType, method, invoker, options, logger)!;
    }

    private static string Describe(MethodDescriptor method)
    {
        var request = method.InputType.ClrType.Name;
        var response = method.OutputType.ClrType.Name;
        return (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => $"Task<{response}> {method.Name}({request}, ServerCallContext)",
            _ => $"{method.Name} (streaming rpc: no handler kind for it yet)",
        };
    }

    internal static bool IsMessageType(Type type) => typeof(IMessage).IsAssignableFrom(type);
}
