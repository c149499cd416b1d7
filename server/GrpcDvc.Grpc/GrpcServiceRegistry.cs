using System.Collections.Frozen;
using Google.Protobuf.Reflection;
using GrpcDvc.Grpc.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrpcDvc.Grpc;

/// <summary>
/// The services this server exposes, keyed by "/package.Service/Method". Filled at start-up
/// from proto service descriptors; read-only afterwards.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, ServerCallHandler> _building = new(StringComparer.Ordinal);
    private readonly List<ServiceDescriptor> _services = [];
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private FrozenDictionary<string, ServerCallHandler>? _handlers;

    public GrpcServiceRegistry(IOptions<GrpcServerOptions> options, ILogger<GrpcServiceRegistry> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The proto services bound so far (used by reflection and health).</summary>
    public IReadOnlyList<ServiceDescriptor> Services => _services;

    /// <summary>Binds the service named <paramref name="serviceFullName"/> in <paramref name="file"/>.</summary>
    public void Add<TService>(FileDescriptor file, string serviceFullName)
        where TService : class
        => Add<TService>(file.Services.FirstOrDefault(s => s.FullName == serviceFullName)
            ?? throw new InvalidOperationException($"{file.Name} declares no service {serviceFullName}."));

    /// <summary>Binds every rpc of <paramref name="service"/> to <typeparamref name="TService"/>; throws when one is missing.</summary>
    public void Add<TService>(ServiceDescriptor service)
        where TService : class
    {
        if (_handlers is not null)
        {
            throw new InvalidOperationException("gRPC services must be added before the server starts.");
        }

        var handlers = MethodBinder.Bind(typeof(TService), service, _options, _logger);
        foreach (var handler in handlers)
        {
            if (!_building.TryAdd(handler.FullName, handler))
            {
                throw new InvalidOperationException($"{handler.FullName} is bound twice.");
            }
        }

        _services.Add(service);
        Log.ServiceBound(_logger, service.FullName, handlers.Count);
    }

    internal bool IsServiceKnown(string serviceName) => _services.Exists(s => s.FullName == serviceName);

    internal ServerCallHandler? Find(string path)
    {
        _handlers ??= _building.ToFrozenDictionary(StringComparer.Ordinal);
        return _handlers.GetValueOrDefault(path);
    }
}
