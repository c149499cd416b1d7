using GrpcDvc.Grpc;

namespace GrpcDvc.Client;

/// <summary>
/// Adds metadata (typically "authorization: Bearer …") to a call just before it is sent. It
/// may be asynchronous, e.g. to refresh a token. An exception from it fails the call with
/// UNAVAILABLE; an <see cref="Grpc.Wire.RpcException"/> fails it with that status.
/// </summary>
public delegate Task AsyncAuthInterceptor(AuthInterceptorContext context, Metadata metadata);

/// <summary>What an <see cref="AsyncAuthInterceptor"/> knows about the call it decorates.</summary>
/// <param name="ServiceUrl">The server address and service, e.g. "https://dvc.example/dvc.catalog.v1.CatalogService".</param>
/// <param name="MethodName">The rpc's name, e.g. "ListProcedures".</param>
/// <param name="CancellationToken">Fires when the call is cancelled or its deadline passes.</param>
public sealed record AuthInterceptorContext(string ServiceUrl, string MethodName, CancellationToken CancellationToken);
