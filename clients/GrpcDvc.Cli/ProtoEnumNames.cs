using System.CommandLine.Parsing;
using Google.Protobuf.Reflection;

namespace GrpcDvc.Cli;

/// <summary>
/// Friendly command-line names for proto enum values, taken from the contract itself:
/// ACCESS_PURPOSE_DOSSIER_PROCESSING is <c>dossier-processing</c>. The proto name is accepted too.
/// </summary>
internal sealed class ProtoEnumNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<string, TEnum> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _option;

    public ProtoEnumNames(EnumDescriptor descriptor, string prefix, string option)
    {
        _option = option;
        foreach (var value in descriptor.Values.Where(v => v.Number != 0))
        {
            var enumValue = (TEnum)Enum.ToObject(typeof(TEnum), value.Number);
            Friendly.Add(value.Name[prefix.Length..].ToLowerInvariant().Replace('_', '-'));
            _values[Friendly[^1]] = enumValue;
            _values[value.Name] = enumValue;
        }
    }

    /// <summary>The friendly names, in the contract's order.</summary>
    public List<string> Friendly { get; } = [];

    public string NameOf(TEnum value) => _values.FirstOrDefault(p => p.Value.Equals(value) && Friendly.Contains(p.Key)).Key ?? value.ToString();

    /// <summary>A System.CommandLine parser for a repeatable option: every value given, or an error listing what is accepted.</summary>
    public TEnum[] ParseAll(ArgumentResult result)
    {
        var values = new List<TEnum>(result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            if (!_values.TryGetValue(token.Value, out var value))
            {
                result.AddError($"{_option}: '{token.Value}' is not one of {string.Join(", ", Friendly)}.");
                return [];
            }

            values.Add(value);
        }

        return [.. values];
    }

    /// <summary>A System.CommandLine parser: the value, or an error listing what is accepted.</summary>
    public TEnum Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (_values.TryGetValue(text, out var value))
        {
            return value;
        }

        result.AddError($"{_option}: '{text}' is not one of {string.Join(", ", Friendly)}.");
        return default;
    }
}
