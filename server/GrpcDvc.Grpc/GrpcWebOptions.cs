namespace GrpcDvc.Grpc;

/// <summary>Options of gRPC-Web on the web endpoint; bound from configuration section "Dvc:GrpcWeb".</summary>
public sealed class GrpcWebOptions
{
    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may call across origins; CORS preflights from
    /// others are refused. Empty (default) means same-origin pages only. "*" allows any origin,
    /// without credentials.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];
}
