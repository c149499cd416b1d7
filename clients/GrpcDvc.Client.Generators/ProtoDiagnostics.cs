using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GrpcDvc.Client.Generators;

/// <summary>What the generator reports instead of failing (warnings: the build treats them as errors).</summary>
internal static class ProtoDiagnostics
{
    private const string Category = "GrpcDvc.Generators";

    public static readonly DiagnosticDescriptor CannotParse = new(
        "GRPCDVC001", "Cannot read part of a .proto file",
        "{0}: {1} (this part is skipped; no client code comes from it)",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownMessage = new(
        "GRPCDVC002", "Message type not found in the given .proto files",
        "rpc {0}.{1}: message type '{2}' is not declared in any .proto given as AdditionalFiles; assuming {3}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateService = new(
        "GRPCDVC003", "Two services would get the same client class",
        "Service '{0}' in {1} is also declared in {2}; only the first gets a client",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GeneratorFailed = new(
        "GRPCDVC004", "The client generator failed",
        "Generating clients from {0} failed: {1}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static Location At(string path, int line, int column)
    {
        var position = new LinePosition(Math.Max(0, line - 1), Math.Max(0, column - 1));
        return Location.Create(path, default, new LinePositionSpan(position, position));
    }
}
