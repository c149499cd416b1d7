using Grpc.Core;
using GrpcDvc.Client;

namespace GrpcDvc.Cli;

/// <summary>
/// An RpcException as a person reads it: the status and message, then what the server's rich details
/// (google.rpc.Status in grpc-status-details-bin) say: each field violation, the reason code, when to retry.
/// </summary>
internal static class RpcErrorPrinter
{
    public static void Print(RpcException exception, TextWriter error)
    {
        error.WriteLine($"error: {exception.StatusCode}: {exception.Status.Detail}");
        foreach (var violation in exception.GetBadRequest()?.FieldViolations ?? [])
        {
            error.WriteLine($"  {violation.Field}: {violation.Description}");
        }

        foreach (var violation in exception.GetPreconditionFailure()?.Violations ?? [])
        {
            error.WriteLine($"  {violation.Type} {violation.Subject}: {violation.Description}");
        }

        if (exception.GetResourceInfo() is { } resource)
        {
            error.WriteLine($"  resource: {resource.ResourceType} {resource.ResourceName}");
        }

        if (exception.GetErrorInfo() is { } info)
        {
            error.WriteLine($"  reason: {info.Reason}{(info.Domain.Length > 0 ? $" ({info.Domain})" : string.Empty)}");
        }

        if (exception.GetRetryInfo()?.RetryDelay is { } delay)
        {
            error.WriteLine($"  retry after: {delay.ToTimeSpan().TotalSeconds:0.#} s");
        }

        if (exception.StatusCode == StatusCode.Unauthenticated)
        {
            error.WriteLine("  (sign in again: dvc signin --username …)");
        }
    }
}
