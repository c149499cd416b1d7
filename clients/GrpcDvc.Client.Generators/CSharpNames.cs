using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace GrpcDvc.Client.Generators;

/// <summary>How protoc's C# plugin names things, so generated clients meet the generated messages.</summary>
internal static class CSharpNames
{
    /// <summary>
    /// The namespace protoc uses for a file without csharp_namespace: each dotted segment
    /// PascalCased, underscores dropped with the next letter capitalised, and a letter after a
    /// digit capitalised ("grpc.reflection.v1alpha" → "Grpc.Reflection.V1Alpha").
    /// </summary>
    public static string NamespaceFromPackage(string package)
    {
        var result = new StringBuilder(package.Length);
        var capitalizeNext = true;
        foreach (var c in package)
        {
            if (c is >= 'a' and <= 'z')
            {
                result.Append(capitalizeNext ? char.ToUpperInvariant(c) : c);
                capitalizeNext = false;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                result.Append(c);
                capitalizeNext = false;
            }
            else if (c is >= '0' and <= '9')
            {
                result.Append(c);
                capitalizeNext = true;
            }
            else
            {
                if (c == '.')
                {
                    result.Append('.');
                }

                capitalizeNext = true;
            }
        }

        return result.ToString();
    }

    /// <summary>A message's C# type: nested messages live in their parent's "Types" class.</summary>
    public static string MessageClass(string csharpNamespace, string nestedName)
    {
        var path = nestedName.Replace(".", ".Types.");
        return csharpNamespace.Length == 0 ? $"global::{path}" : $"global::{csharpNamespace}.{path}";
    }

    /// <summary>A member name that compiles even when the rpc is named like a C# keyword.</summary>
    public static string Member(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? $"@{name}" : name;

    public static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A possibly package-qualified (and possibly fully-qualified, leading '.') type name.</summary>
    public static bool IsTypeName(string text)
    {
        var body = text.StartsWith(".", StringComparison.Ordinal) ? text.Substring(1) : text;
        return body.Length > 0 && body.Split('.').All(IsIdentifier);
    }
}
