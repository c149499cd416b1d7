namespace GrpcDvc.Client.Generators;

/// <summary>What the generator needs from one .proto file. Equatable, so unchanged files are not re-emitted.</summary>
internal sealed record ProtoFile(
    string Path,
    string Package,
    string? CSharpNamespace,
    EquatableArray<string> Messages,
    EquatableArray<ProtoService> Services,
    EquatableArray<ProtoProblem> Problems)
{
    /// <summary>The C# namespace protoc puts this file's types in.</summary>
    public string Namespace => CSharpNamespace ?? CSharpNames.NamespaceFromPackage(Package);
}

/// <summary>A service block; <see cref="Comment"/> is the comment written above it.</summary>
internal sealed record ProtoService(string Name, string? Comment, EquatableArray<ProtoRpc> Rpcs, int Line);

/// <summary>One rpc with its types as written in the proto (relative or package-qualified).</summary>
internal sealed record ProtoRpc(
    string Name,
    string RequestType,
    bool RequestStreaming,
    string ResponseType,
    bool ResponseStreaming,
    string? Comment,
    int Line);

/// <summary>Something the parser could not read; reported as a diagnostic, never thrown.</summary>
internal sealed record ProtoProblem(int Line, int Column, string Message);
