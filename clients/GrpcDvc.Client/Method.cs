using Google.Protobuf;

namespace GrpcDvc.Client;

/// <summary>The four kinds of rpc, by which side streams.</summary>
public enum MethodType
{
    Unary,
    ClientStreaming,
    ServerStreaming,
    DuplexStreaming,
}

/// <summary>
/// An rpc as a client calls it: its kind, its full name ("/package.Service/Method") and the
/// parser of its response messages. Generated clients hold one per rpc.
/// </summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public Method(MethodType type, string fullName, MessageParser<TResponse> responseParser)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullName);
        ArgumentNullException.ThrowIfNull(responseParser);
        var slash = fullName.LastIndexOf('/');
        if (fullName[0] != '/' || slash <= 1 || slash == fullName.Length - 1)
        {
            throw new ArgumentException($"'{fullName}' is not a full method name of the form /package.Service/Method.", nameof(fullName));
        }

        Type = type;
        FullName = fullName;
        ServiceName = fullName[1..slash];
        Name = fullName[(slash + 1)..];
        ResponseParser = responseParser;
    }

    public MethodType Type { get; }

    /// <summary>"/package.Service/Method", the HTTP/2 :path of every call.</summary>
    public string FullName { get; }

    /// <summary>"package.Service".</summary>
    public string ServiceName { get; }

    /// <summary>The rpc's own name.</summary>
    public string Name { get; }

    public MessageParser<TResponse> ResponseParser { get; }

    public override string ToString() => FullName;
}
