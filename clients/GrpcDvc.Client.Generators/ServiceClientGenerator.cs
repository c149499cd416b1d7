using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GrpcDvc.Client.Generators;

/// <summary>
/// Emits a typed client (<c>&lt;Service&gt;Client</c>) for every service in the project's
/// .proto AdditionalFiles, in the namespace protoc gives that file's messages, so clients follow
/// the contract instead of being kept by hand.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ServiceClientGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".proto", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellationToken) => Read(text, cancellationToken));

        // Type mapping needs every file's package and messages, so services are emitted from the whole set.
        context.RegisterSourceOutput(files.Collect(), static (output, all) => Emit(output, all));
    }

    private static ProtoFile Read(AdditionalText text, CancellationToken cancellationToken)
    {
        var source = text.GetText(cancellationToken)?.ToString();
        if (source is null)
        {
            return Failed(text.Path, "The file could not be read.");
        }

        try
        {
            return ProtoParser.Parse(text.Path, source);
        }
#pragma warning disable CA1031 // A generator must report, never crash the compiler.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Failed(text.Path, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private static ProtoFile Failed(string path, string message)
        => new(path, string.Empty, null, default, default, new EquatableArray<ProtoProblem>([new ProtoProblem(1, 1, message)]));

    private static void Emit(SourceProductionContext output, ImmutableArray<ProtoFile> files)
    {
        var ordered = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var resolver = new TypeResolver(ordered);
        var emitted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in ordered)
        {
            foreach (var problem in file.Problems)
            {
                output.ReportDiagnostic(Diagnostic.Create(ProtoDiagnostics.CannotParse,
                    ProtoDiagnostics.At(file.Path, problem.Line, problem.Column), Path.GetFileName(file.Path), problem.Message));
            }

            foreach (var service in file.Services)
            {
                try
                {
                    EmitService(output, resolver, emitted, file, service);
                }
#pragma warning disable CA1031 // A generator must report, never crash the compiler.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    output.ReportDiagnostic(Diagnostic.Create(ProtoDiagnostics.GeneratorFailed,
                        ProtoDiagnostics.At(file.Path, service.Line, 1), Path.GetFileName(file.Path), ex.Message));
                }
            }
        }
    }

    private static void EmitService(
        SourceProductionContext output, TypeResolver resolver, Dictionary<string, string> emitted, ProtoFile file, ProtoService service)
    {
        var className = $"{file.Namespace}.{ClientEmitter.ClassName(service)}";
        if (emitted.TryGetValue(className, out var firstPath))
        {
            output.ReportDiagnostic(Diagnostic.Create(ProtoDiagnostics.DuplicateService,
                ProtoDiagnostics.At(file.Path, service.Line, 1), service.Name, Path.GetFileName(file.Path), Path.GetFileName(firstPath)));
            return;
        }

        emitted[className] = file.Path;
        var rpcs = new List<ResolvedRpc>();
        foreach (var rpc in service.Rpcs)
        {
            rpcs.Add(new ResolvedRpc(rpc, Resolve(output, resolver, file, service, rpc, rpc.RequestType), Resolve(output, resolver, file, service, rpc, rpc.ResponseType)));
        }

        output.AddSource($"{className.TrimStart('.')}.g.cs", SourceText.From(ClientEmitter.Emit(file, service, rpcs), Encoding.UTF8));
    }

    private static string Resolve(
        SourceProductionContext output, TypeResolver resolver, ProtoFile file, ProtoService service, ProtoRpc rpc, string reference)
    {
        if (!resolver.TryResolve(reference, file.Package, out var csharp))
        {
            output.ReportDiagnostic(Diagnostic.Create(ProtoDiagnostics.UnknownMessage,
                ProtoDiagnostics.At(file.Path, rpc.Line, 1), service.Name, rpc.Name, reference, csharp));
        }

        return csharp;
    }
}
