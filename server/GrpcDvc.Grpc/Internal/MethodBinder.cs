using System.Reflection;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Grpc.Internal;

/// <summary>
/// Binds each rpc of a proto service descriptor to the method of the same name on the service
/// class, with the signature its call kind requires (as Grpc.Core's generated bases declare them).
/// The descriptor, not the class, decides what must exist: a declared rpc without a matching
/// handler fails start-up instead of failing a caller later.
/// </summary>
internal static class MethodBinder
{
    public static IReadOnlyList<ServerCallHandler> Bind(Type serviceType, ServiceDescriptor service, ServiceBinding binding)
    {
        var handlers = new List<ServerCallHandler>();
        var missing = new List<string>();
        foreach (var method in service.Methods)
        {
            var handler = TryBind(serviceType, method, binding);
            if (handler is null)
            {
                missing.Add(Signature(method));
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

    private static ServerCallHandler? TryBind(Type serviceType, MethodDescriptor method, ServiceBinding binding)
    {
        var request = method.InputType.ClrType;
        var response = method.OutputType.ClrType;
        var context = typeof(ServerCallContext);
        var reader = typeof(IAsyncStreamReader<>).MakeGenericType(request);
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var task = typeof(Task);
        var taskOfResponse = typeof(Task<>).MakeGenericType(response);

        var (parameters, returns, handlerType) = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => (new[] { request, context }, taskOfResponse, typeof(UnaryServerCallHandler<,,>)),
            (false, true) => (new[] { request, writer, context }, task, typeof(ServerStreamingServerCallHandler<,,>)),
            (true, false) => (new[] { reader, context }, taskOfResponse, typeof(ClientStreamingServerCallHandler<,,>)),
            (true, true) => (new[] { reader, writer, context }, task, typeof(DuplexStreamingServerCallHandler<,,>)),
        };

        var info = serviceType.GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameters);
        if (info is null || info.ReturnType != returns)
        {
            return null;
        }

        var invokerType = Type.GetType($"System.Func`{parameters.Length + 2}")!
            .MakeGenericType([serviceType, .. parameters, returns]);
        var invoker = Delegate.CreateDelegate(invokerType, info);
        var closed = handlerType.MakeGenericType(serviceType, request, response);
        return (ServerCallHandler)Activator.CreateInstance(closed, method, binding, invoker)!;
    }

    private static string Signature(MethodDescriptor method)
    {
        var request = method.InputType.ClrType.Name;
        var response = method.OutputType.ClrType.Name;
        return (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => $"Task<{response}> {method.Name}({request}, ServerCallContext)",
            (false, true) => $"Task {method.Name}({request}, IServerStreamWriter<{response}>, ServerCallContext)",
            (true, false) => $"Task<{response}> {method.Name}(IAsyncStreamReader<{request}>, ServerCallContext)",
            (true, true) => $"Task {method.Name}(IAsyncStreamReader<{request}>, IServerStreamWriter<{response}>, ServerCallContext)",
        };
    }
}
