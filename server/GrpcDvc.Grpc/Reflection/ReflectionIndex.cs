using System.Collections.Frozen;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Grpc.Reflection;

/// <summary>
/// Everything server reflection can be asked about, built once from the files that declare the
/// bound services and all their imports: files by name, the file of every symbol (service,
/// method, message, enum, extension; nested ones too), and extensions by extended type.
/// </summary>
internal sealed class ReflectionIndex
{
    private readonly FrozenDictionary<string, FileDescriptor> _files;
    private readonly FrozenDictionary<string, FileDescriptor> _symbols;
    private readonly FrozenDictionary<string, FieldDescriptor[]> _extensions;

    public ReflectionIndex(IEnumerable<ServiceDescriptor> services)
    {
        var serviceList = services.ToList();
        ServiceNames = [.. serviceList.Select(s => s.FullName).Order(StringComparer.Ordinal)];
        var files = new Dictionary<string, FileDescriptor>(StringComparer.Ordinal);
        foreach (var service in serviceList)
        {
            AddWithImports(service.File, files);
        }

        var symbols = new Dictionary<string, FileDescriptor>(StringComparer.Ordinal);
        var extensions = new Dictionary<string, List<FieldDescriptor>>(StringComparer.Ordinal);
        foreach (var file in files.Values)
        {
            foreach (var service in file.Services)
            {
                symbols[service.FullName] = file;
                foreach (var method in service.Methods)
                {
                    symbols[method.FullName] = file;
                }
            }

            foreach (var message in file.MessageTypes)
            {
                AddMessage(message, file, symbols);
            }

            foreach (var e in file.EnumTypes)
            {
                symbols[e.FullName] = file;
            }

            foreach (var extension in file.Extensions.UnorderedExtensions)
            {
                symbols[extension.FullName] = file;
                var extendee = extension.ExtendeeType.FullName;
                if (!extensions.TryGetValue(extendee, out var list))
                {
                    extensions[extendee] = list = [];
                }

                list.Add(extension);
            }
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
        _symbols = symbols.ToFrozenDictionary(StringComparer.Ordinal);
        _extensions = extensions.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<string> ServiceNames { get; }

    /// <summary>The named file and everything it imports, the file itself first; null when unknown.</summary>
    public IReadOnlyList<ByteString>? FileByName(string name)
        => _files.TryGetValue(name, out var file) ? WithImports(file) : null;

    public IReadOnlyList<ByteString>? FileContainingSymbol(string symbol)
        => _symbols.TryGetValue(symbol.TrimStart('.'), out var file) ? WithImports(file) : null;

    public IReadOnlyList<ByteString>? FileContainingExtension(string type, int number)
        => _extensions.TryGetValue(type.TrimStart('.'), out var list) && list.FirstOrDefault(e => e.FieldNumber == number) is { } extension
            ? WithImports(extension.File)
            : null;

    /// <summary>Extension numbers of a known message type (possibly none); null when the type is unknown.</summary>
    public IReadOnlyList<int>? ExtensionNumbers(string type)
    {
        var name = type.TrimStart('.');
        if (_extensions.TryGetValue(name, out var list))
        {
            return [.. list.Select(e => e.FieldNumber)];
        }

        return _symbols.ContainsKey(name) ? [] : null;
    }

    private static List<ByteString> WithImports(FileDescriptor file)
    {
        var ordered = new List<FileDescriptor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Visit(file, ordered, seen);
        return [.. ordered.Select(f => ByteString.CopyFrom(f.SerializedData.Span))];
    }

    private static void Visit(FileDescriptor file, List<FileDescriptor> ordered, HashSet<string> seen)
    {
        if (!seen.Add(file.Name))
        {
            return;
        }

        ordered.Add(file);
        foreach (var dependency in file.Dependencies)
        {
            Visit(dependency, ordered, seen);
        }
    }

    private static void AddWithImports(FileDescriptor file, Dictionary<string, FileDescriptor> files)
    {
        if (files.TryAdd(file.Name, file))
        {
            foreach (var dependency in file.Dependencies)
            {
                AddWithImports(dependency, files);
            }
        }
    }

    private static void AddMessage(MessageDescriptor message, FileDescriptor file, Dictionary<string, FileDescriptor> symbols)
    {
        symbols[message.FullName] = file;
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file, symbols);
        }

        foreach (var e in message.EnumTypes)
        {
            symbols[e.FullName] = file;
        }
    }
}
