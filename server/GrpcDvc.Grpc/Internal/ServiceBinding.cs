using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

/// <summary>What the handlers of one bound service share.</summary>
internal sealed class ServiceBinding(
    GrpcServerOptions options,
    IReadOnlyList<Type> interceptorTypes,
    ILogger logger,
    CallTelemetry telemetry,
    TimeProvider timeProvider)
{
    public GrpcServerOptions Options { get; } = options;

    /// <summary>Global interceptors first, then the service's own.</summary>
    public IReadOnlyList<Type> InterceptorTypes { get; } = interceptorTypes;

    public ILogger Logger { get; } = logger;

    public CallTelemetry Telemetry { get; } = telemetry;

    public TimeProvider TimeProvider { get; } = timeProvider;
}
