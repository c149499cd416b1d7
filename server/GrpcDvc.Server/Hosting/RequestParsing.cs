using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// A request whose message does not parse ends with INTERNAL, as gRPC's status table has it ("error
/// parsing request protocol buffer"), not UNKNOWN. grpc-dotnet parses before any interceptor runs and
/// reports every exception it did not get as an RpcException as UNKNOWN "Exception was thrown by
/// handler.", so a client could not tell a malformed request from a failing handler (the bad-input
/// campaign sent invalid UTF-8, lying length prefixes, bad tags). The one place a parse can be caught
/// is the request marshaller, and grpc-dotnet takes it from the generated code's Method when the
/// service is bound; so this binds the services itself, as grpc-dotnet's own binder does (the
/// generated BindService, then the service's method for each rpc), with each Method's request
/// marshaller wrapped.
/// </summary>
internal static class RequestParsing
{
    public const string FailureMessage = "The request message could not be parsed";

    /// <summary>Takes the place of grpc-dotnet's binder; call after everything that calls AddGrpc.</summary>
    public static void BindServicesWithParseFailures(this IServiceCollection services)
    {
        var frameworkBinder = services.Single(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name == "BinderServiceMethodProvider`1");
        services.Remove(frameworkBinder);
        services.TryAddEnumerable(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(ParsingServiceMethodProvider<>)));
    }

    /// <summary>The same Method, whose request marshaller turns a parse failure into INTERNAL.</summary>
    public static Method<TRequest, TResponse> WithParseFailures<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var requestType = typeof(TRequest).GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is Google.Protobuf.Reflection.MessageDescriptor d
            ? d.FullName
            : typeof(TRequest).Name;
        var marshaller = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException or IOException)
            {
                // Invalid UTF-8 in a string field surfaces as a DecoderFallbackException (an ArgumentException).
                throw new RpcException(new Status(StatusCode.Internal, $"{FailureMessage} as {requestType}: {e.Message}"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }
}

/// <summary>Binds a generated service's rpcs to the service's methods, each with <see cref="RequestParsing.WithParseFailures"/>.</summary>
internal sealed class ParsingServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        // The generated base class names its static BindService(ServiceBinderBase, TBase) in an attribute.
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var method = bind.BindType.GetMethod(bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                    ?? throw new InvalidOperationException($"{bind.BindType}.{bind.BindMethodName} not found for {typeof(TService)}.");
                method.Invoke(null, [new Binder(context, method.GetParameters()[1].ParameterType), null]);
                return;
            }
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
            => context.AddUnaryMethod(RequestParsing.WithParseFailures(method), Metadata(method.Name, out var implementation, typeof(TRequest), typeof(ServerCallContext)),
                implementation.CreateDelegate<UnaryServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
            => context.AddServerStreamingMethod(RequestParsing.WithParseFailures(method),
                Metadata(method.Name, out var implementation, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                implementation.CreateDelegate<ServerStreamingServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
            => context.AddClientStreamingMethod(RequestParsing.WithParseFailures(method),
                Metadata(method.Name, out var implementation, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)),
                implementation.CreateDelegate<ClientStreamingServerMethod<TService, TRequest, TResponse>>());

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
            => context.AddDuplexStreamingMethod(RequestParsing.WithParseFailures(method),
                Metadata(method.Name, out var implementation, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)),
                implementation.CreateDelegate<DuplexStreamingServerMethod<TService, TRequest, TResponse>>());

        /// <summary>
        /// The service's override of the rpc (or the base's UNIMPLEMENTED one), and the endpoint metadata
        /// grpc-dotnet gives it: the service's and the method's attributes (authorization, CORS), then POST
        /// with CORS preflight accepted.
        /// </summary>
        private List<object> Metadata(string name, out MethodInfo implementation, params Type[] parameters)
        {
            implementation = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters) is { } found
                && found.GetBaseDefinition().DeclaringType == serviceBase
                    ? found
                    : throw new InvalidOperationException($"{typeof(TService)} has no override of {serviceBase}.{name}.");
            return
            [
                .. typeof(TService).GetCustomAttributes(inherit: true),
                .. implementation.GetCustomAttributes(inherit: true),
                new HttpMethodMetadata(["POST"], acceptCorsPreflight: true),
            ];
        }
    }
}
