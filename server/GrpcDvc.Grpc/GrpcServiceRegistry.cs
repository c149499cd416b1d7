using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrpcDvc.Grpc;

/// <summary>
/// The services this server exposes, keyed by "/package.Service/Method". Filled at start-up
/// from proto service descriptors; read-only once the first call arrives.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, ServerCallHandler> _building = new(StringComparer.Ordinal);
    private readonly List<ServiceDescriptor> _services = [];
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly CallTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private FrozenDictionary<string, ServerCallHandler>? _handlers;

    public GrpcServiceRegistry(IOptions<GrpcServerOptions> options, ILogger<GrpcServiceRegistry> logger, CallTelemetry telemetry, TimeProvider timeProvider)
    {
        _options = options.Value;
        _logger = logger;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
    }

    /// <summary>The proto services bound so far (used by reflection and health).</summary>
    public IReadOnlyList<ServiceDescriptor> Services => _services;

    /// <summary>Raised for each service as it is bound.</summary>
    public event Action<ServiceDescriptor>? ServiceAdded;

    /// <summary>Binds the service named <paramref name="serviceFullName"/> in <paramref name="file"/>.</summary>
    public void Add<TService>(FileDescriptor file, string serviceFullName, params Type[] interceptors)
        where TService : class
        => Add<TService>(file.Services.FirstOrDefault(s => s.FullName == serviceFullName)
            ?? throw new InvalidOperationException($"{file.Name} declares no service {serviceFullName}."), interceptors);

    /// <summary>
    /// Binds every rpc of <paramref name="service"/> to <typeparamref name="TService"/>, wrapped
    /// by the global interceptors and then <paramref name="interceptors"/>; throws when an rpc has no handler.
    /// </summary>
    public void Add<TService>(ServiceDescriptor service, params Type[] interceptors)
        where TService : class
    {
        if (_handlers is not null)
        {
            throw new InvalidOperationException("gRPC services must be added before the first call.");
        }

        foreach (var type in interceptors.Concat(_options.Interceptors))
        {
            if (!type.IsSubclassOf(typeof(Interceptor)))
            {
                throw new ArgumentException($"{type.Name} is not an Interceptor.", nameof(interceptors));
            }
        }

        var binding = new ServiceBinding(_options, [.. _options.Interceptors, .. interceptors], _logger, _telemetry, _timeProvider);
        var handlers = MethodBinder.Bind(typeof(TService), service, binding);
        foreach (var handler in handlers)
        {
            if (!_building.TryAdd(handler.FullName, handler))
            {
                throw new InvalidOperationException($"{handler.FullName} is bound twice.");
            }
        }

        _services.Add(service);
        Log.ServiceBound(_logger, service.FullName, handlers.Count);
        ServiceAdded?.Invoke(service);
    }

    internal bool IsServiceKnown(string serviceName) => _services.Exists(s => s.FullName == serviceName);

    internal ServerCallHandler? Find(string path)
    {
        _handlers ??= _building.ToFrozenDictionary(StringComparer.Ordinal);
        return _handlers.GetValueOrDefault(path);
    }
}
