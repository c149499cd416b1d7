using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GrpcDvc.Server.Population.Generation;

namespace GrpcDvc.Server.Population.Loading;

/// <summary>
/// The grammar of <c>population generate</c> on System.CommandLine: options with their validators and help.
/// Tokens it does not know are configuration for the host (<c>--Dvc:…=…</c>, <c>--Logging:…=…</c>),
/// as for the server itself; anything else is an error.
/// </summary>
internal sealed class PopulationCommandLine
{
    private static readonly string[] ConfigurationPrefixes = ["--Dvc:", "--Logging:"];

    private readonly Option<int> _count = new("--count")
    {
        Description = "Citizens to generate: 2000, 500k, 10M or 10_000_000.",
        HelpName = "N",
        Required = true,
        CustomParser = ParseCount,
    };

    private readonly Option<ulong> _seed = new("--seed")
    {
        Description = "The generator's seed: the same count, seed and --as-of give the same people, row for row.",
        HelpName = "S",
        DefaultValueFactory = _ => PopulationGeneratorOptions.DefaultSeed,
        CustomParser = ParseSeed,
    };

    // Nullable with the default in the text: help would print a DateOnly default in the machine's culture.
    private readonly Option<DateOnly?> _asOf = new("--as-of")
    {
        Description = string.Create(CultureInfo.InvariantCulture,
            $"The \"today\" of the data (ages, card expiries). [default: {PopulationGeneratorOptions.DefaultAsOf:yyyy-MM-dd}]"),
        HelpName = "yyyy-MM-dd",
        CustomParser = ParseDay,
    };

    private readonly Option<bool> _append = new("--append")
    {
        Description = "Add the new people after those already loaded (new ids, ID numbers not yet used).",
    };

    private readonly Option<bool> _replace = new("--replace")
    {
        Description = "Delete every citizen, household, identity document and residence record first.",
    };

    private readonly Option<bool> _dryRun = new("--dry-run")
    {
        Description = "Generate and discard, to time the generator alone.",
    };

    public PopulationCommandLine()
    {
        var generate = new Command("generate",
            "Generates N citizens and bulk-loads them into the configured database (migrated first, as a server start does). "
            + "Other arguments --Dvc:…=… configure the database as for the server.")
        {
            _count, _seed, _asOf, _append, _replace, _dryRun,
        };
        // Host configuration passes through; Validate lets only configuration keys through.
        generate.TreatUnmatchedTokensAsErrors = false;
        generate.Validators.Add(command =>
        {
            if (command.GetValue(_append) && command.GetValue(_replace))
            {
                command.AddError("--append and --replace exclude each other.");
            }
        });
        Root = new RootCommand("GrpcDvc server") { new Command("population", "The population registry's data.") { generate } };
    }

    /// <summary>The command tree: <c>population generate</c> under a root named after the server.</summary>
    public RootCommand Root { get; }

    /// <summary>Parses the arguments; response files (@file) are not expanded: a connection string may start with '@'.</summary>
    public ParseResult Parse(IReadOnlyList<string> args)
        => Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>What the user asked for, or the errors to print; help (<c>--help</c>) is neither.</summary>
    public static IReadOnlyList<string> Errors(ParseResult result)
    {
        var errors = result.Errors.Select(e => e.Message).ToList();
        errors.AddRange(result.UnmatchedTokens
            .Where(token => !ConfigurationPrefixes.Any(prefix => token.StartsWith(prefix, StringComparison.Ordinal)))
            .Select(token => $"Unknown argument '{token}'."));
        return errors;
    }

    /// <summary>The load and the configuration arguments of a parse without errors.</summary>
    public GenerateArguments Arguments(ParseResult result)
    {
        var mode = result.GetValue(_append) ? PopulationLoadMode.Append
            : result.GetValue(_replace) ? PopulationLoadMode.Replace
            : PopulationLoadMode.IfEmpty;
        var request = new PopulationLoadRequest(result.GetValue(_count), result.GetValue(_seed), result.GetValue(_asOf) ?? PopulationGeneratorOptions.DefaultAsOf, mode)
        {
            DryRun = result.GetValue(_dryRun),
        };
        return new GenerateArguments(request, [.. result.UnmatchedTokens]);
    }

    /// <summary>A count such as 2000, 10_000_000, 500k or 10M.</summary>
    internal static bool TryCount(string? text, out int count)
    {
        count = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var multiplier = char.ToUpperInvariant(text[^1]) switch { 'K' => 1_000L, 'M' => 1_000_000L, _ => 1L };
        var digits = (multiplier == 1 ? text : text[..^1]).Replace("_", string.Empty, StringComparison.Ordinal);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value * multiplier is < 1 or > int.MaxValue)
        {
            return false;
        }

        count = (int)(value * multiplier);
        return true;
    }

    private static int ParseCount(ArgumentResult result)
    {
        var text = Single(result);
        if (TryCount(text, out var count))
        {
            return count;
        }

        result.AddError($"--count: '{text}' is not a count from 1 to {int.MaxValue:N0} (e.g. 2000, 500k, 10M, 10_000_000).");
        return 0;
    }

    private static ulong ParseSeed(ArgumentResult result)
    {
        var text = Single(result);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        result.AddError($"--seed: '{text}' is not a whole number from 0 to {ulong.MaxValue}.");
        return 0;
    }

    private static DateOnly? ParseDay(ArgumentResult result)
    {
        var text = Single(result);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        result.AddError($"--as-of: '{text}' is not a date yyyy-MM-dd.");
        return null;
    }

    // The option's arity is one value, so the parser has already refused a missing one.
    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}

/// <summary>The parsed command line: the load, and the arguments left for configuration.</summary>
public sealed record GenerateArguments(PopulationLoadRequest Request, IReadOnlyList<string> Configuration);
