using Google.Protobuf;
using Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace GrpcDvc.Grpc.Reflection;

/// <summary>
/// grpc.reflection.v1.ServerReflection per grpc/grpc doc/server-reflection.md, so grpcurl,
/// Postman and other tools discover every service (this one and health included).
/// </summary>
public sealed class ReflectionService(GrpcServiceRegistry registry)
{
    private ReflectionIndex? _index;

    // The index is built on first use: by then every service has been bound.
    private ReflectionIndex Index => _index ??= new ReflectionIndex(registry.Services);

    public async Task ServerReflectionInfo(
        IAsyncStreamReader<ServerReflectionRequest> requestStream,
        IServerStreamWriter<ServerReflectionResponse> responseStream,
        ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            await responseStream.WriteAsync(Answer(requestStream.Current), context.CancellationToken);
        }
    }

    internal ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                response.ListServicesResponse = new ListServiceResponse
                {
                    Service = { Index.ServiceNames.Select(name => new ServiceResponse { Name = name }) },
                };
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFiles(response, Index.FileByName(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFiles(response, Index.FileContainingSymbol(request.FileContainingSymbol), $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFiles(response, Index.FileContainingExtension(extension.ContainingType, extension.ExtensionNumber),
                    $"Extension {extension.ExtensionNumber} of {extension.ContainingType} not found.");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var numbers = Index.ExtensionNumbers(request.AllExtensionNumbersOfType);
                if (numbers is null)
                {
                    response.ErrorResponse = NotFound($"Type not found: {request.AllExtensionNumbersOfType}");
                }
                else
                {
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse
                    {
                        BaseTypeName = request.AllExtensionNumbersOfType,
                        ExtensionNumber = { numbers },
                    };
                }

                break;
            default:
                response.ErrorResponse = new ErrorResponse { ErrorCode = (int)Wire.StatusCode.InvalidArgument, ErrorMessage = "The request names no reflection query." };
                break;
        }

        return response;
    }

    private static void SetFiles(ServerReflectionResponse response, IReadOnlyList<ByteString>? files, string notFound)
    {
        if (files is null)
        {
            response.ErrorResponse = NotFound(notFound);
        }
        else
        {
            response.FileDescriptorResponse = new FileDescriptorResponse { FileDescriptorProto = { files } };
        }
    }

    private static ErrorResponse NotFound(string message) => new() { ErrorCode = (int)Wire.StatusCode.NotFound, ErrorMessage = message };
}

/// <summary>
/// grpc.reflection.v1alpha.ServerReflection, still what many tools ask first. Its messages are
/// the v1 messages under another package, byte for byte, so it answers through v1.
/// </summary>
public sealed class ReflectionAlphaService(ReflectionService v1)
{
    public async Task ServerReflectionInfo(
        IAsyncStreamReader<V1Alpha.ServerReflectionRequest> requestStream,
        IServerStreamWriter<V1Alpha.ServerReflectionResponse> responseStream,
        ServerCallContext context)
    {
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            var request = ServerReflectionRequest.Parser.ParseFrom(requestStream.Current.ToByteString());
            var answer = v1.Answer(request);
            await responseStream.WriteAsync(V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken);
        }
    }
}
