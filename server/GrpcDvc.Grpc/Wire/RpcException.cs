namespace GrpcDvc.Grpc.Wire;

/// <summary>
/// Ends a call with a non-OK status. Thrown by handlers (the server sends the status) and by
/// the client (it received one). <see cref="StatusDetails"/> carries the serialized
/// google.rpc.Status sent as grpc-status-details-bin, when there is one.
/// </summary>
public class RpcException : Exception
{
    public RpcException(Status status, byte[]? statusDetails = null)
        : base(status.ToString())
    {
        Status = status;
        StatusDetails = statusDetails;
    }

    public RpcException(StatusCode code, string detail, byte[]? statusDetails = null)
        : this(new Status(code, detail), statusDetails)
    {
    }

    public RpcException()
        : this(new Status(StatusCode.Unknown, string.Empty))
    {
    }

    public RpcException(string message)
        : this(new Status(StatusCode.Unknown, message))
    {
    }

    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new Status(StatusCode.Unknown, message);
    }

    public Status Status { get; }

    public StatusCode StatusCode => Status.Code;

    public byte[]? StatusDetails { get; }
}
