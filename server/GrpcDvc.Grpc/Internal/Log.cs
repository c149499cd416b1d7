using Microsoft.Extensions.Logging;

namespace GrpcDvc.Grpc.Internal;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Handler of {Method} threw an exception.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "gRPC service {Service} bound with {Count} methods.")]
    public static partial void ServiceBound(ILogger logger, string service, int count);
}
