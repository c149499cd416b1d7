namespace GrpcDvc.Client.Generators;

/// <summary>
/// Maps message type references in rpcs to the C# classes protoc generates, from the messages
/// and package → namespace pairs of every proto the project gave the generator.
/// </summary>
internal sealed class TypeResolver
{
    private const string WellKnownPackage = "google.protobuf";
    private const string WellKnownNamespace = "Google.Protobuf.WellKnownTypes";

    private readonly Dictionary<string, string> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _packages = new(StringComparer.Ordinal)
    {
        [WellKnownPackage] = WellKnownNamespace,
    };

    public TypeResolver(IEnumerable<ProtoFile> files)
    {
        foreach (var file in files)
        {
            _packages[file.Package] = file.Namespace;
            foreach (var message in file.Messages)
            {
                var fullName = file.Package.Length == 0 ? message : $"{file.Package}.{message}";
                _messages[fullName] = CSharpNames.MessageClass(file.Namespace, message);
            }
        }
    }

    /// <summary>
    /// The C# type for <paramref name="reference"/> as written in a file of package
    /// <paramref name="package"/>. False (with a best guess) when no given proto declares it.
    /// </summary>
    public bool TryResolve(string reference, string package, out string csharpType)
    {
        foreach (var candidate in Candidates(reference, package))
        {
            if (_messages.TryGetValue(candidate, out var declared))
            {
                csharpType = declared;
                return true;
            }
        }

        var qualified = reference.TrimStart('.');
        var owner = _packages.Keys
            .Where(p => p.Length > 0 && qualified.StartsWith(p + ".", StringComparison.Ordinal))
            .OrderByDescending(p => p.Length)
            .FirstOrDefault();
        if (owner is not null)
        {
            csharpType = CSharpNames.MessageClass(_packages[owner], qualified.Substring(owner.Length + 1));
            // The well-known types ship compiled in Google.Protobuf, so they need no .proto here.
            return owner == WellKnownPackage;
        }

        csharpType = CSharpNames.MessageClass(_packages.TryGetValue(package, out var ns) ? ns : CSharpNames.NamespaceFromPackage(package), qualified);
        return false;
    }

    /// <summary>Proto scoping: a relative name is looked up in the package, then each enclosing package.</summary>
    private static IEnumerable<string> Candidates(string reference, string package)
    {
        if (reference.StartsWith(".", StringComparison.Ordinal))
        {
            yield return reference.Substring(1);
            yield break;
        }

        var scope = package;
        while (scope.Length > 0)
        {
            yield return $"{scope}.{reference}";
            var dot = scope.LastIndexOf('.');
            scope = dot < 0 ? string.Empty : scope.Substring(0, dot);
        }

        yield return reference;
    }
}
