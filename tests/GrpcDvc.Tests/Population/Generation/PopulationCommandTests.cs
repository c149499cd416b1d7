using GrpcDvc.Server.Hosting;
using GrpcDvc.Server.Population.Generation;
using GrpcDvc.Server.Population.Loading;

namespace GrpcDvc.Tests.Population.Generation;

/// <summary>`population generate` as the README documents it: its options, its errors and exit codes, and a real load.</summary>
public sealed class PopulationCommandTests
{
    [Theory]
    [InlineData("2000", 2_000)]
    [InlineData("500k", 500_000)]
    [InlineData("500K", 500_000)]
    [InlineData("10M", 10_000_000)]
    [InlineData("10_000_000", 10_000_000)]
    [InlineData("1_5k", 15_000)]
    public void Count_WithSuffixesAndUnderscores_IsTheNumberMeant(string text, int expected)
    {
        var (request, _) = Parse("population", "generate", "--count", text);

        Assert.Equal(expected, request.Count);
    }

    [Fact]
    public void Options_AllGiven_MakeTheLoad_AndDvcArgumentsPassThroughToConfiguration()
    {
        var (request, configuration) = Parse(
            "population", "generate", "--count", "10M", "--seed", "7", "--as-of", "2025-01-31", "--append", "--dry-run",
            "--Dvc:Database:Provider=postgres", "--Dvc:Database:ConnectionString=Host=127.0.0.1;Port=5432;Password=@x:y", "--Logging:LogLevel:Default=Error");

        Assert.Equal((10_000_000, 7UL, new DateOnly(2025, 1, 31), PopulationLoadMode.Append, true),
            (request.Count, request.Seed, request.AsOf, request.Mode, request.DryRun));
        Assert.Equal(
            ["--Dvc:Database:Provider=postgres", "--Dvc:Database:ConnectionString=Host=127.0.0.1;Port=5432;Password=@x:y", "--Logging:LogLevel:Default=Error"],
            configuration);
    }

    [Fact]
    public void Options_Omitted_TakeTheDocumentedDefaults()
    {
        var (request, configuration) = Parse("population", "generate", "--count", "2000", "--replace");

        Assert.Equal((PopulationGeneratorOptions.DefaultSeed, new DateOnly(2026, 11, 1), PopulationLoadMode.Replace, false),
            (request.Seed, request.AsOf, request.Mode, request.DryRun));
        Assert.Equal(42UL, PopulationGeneratorOptions.DefaultSeed);
        Assert.Empty(configuration);
    }

    [Theory]
    [InlineData("'--count' is required", "population", "generate", "--seed", "7")]
    [InlineData("--count: '0'", "population", "generate", "--count", "0")]
    [InlineData("--count: '5x'", "population", "generate", "--count", "5x")]
    [InlineData("--count: '3000M'", "population", "generate", "--count", "3000M")]
    [InlineData("--seed: '-1'", "population", "generate", "--count", "10", "--seed", "-1")]
    [InlineData("--as-of: '2026-13-01'", "population", "generate", "--count", "10", "--as-of", "2026-13-01")]
    [InlineData("--append and --replace exclude each other", "population", "generate", "--count", "10", "--append", "--replace")]
    [InlineData("Unknown argument '--bogus'", "population", "generate", "--count", "10", "--bogus")]
    [InlineData("Unknown argument 'Dvc:DataDir=x'", "population", "generate", "--count", "10", "Dvc:DataDir=x")]
    [InlineData("Required command was not provided", "population")]
    [InlineData("'frobnicate'", "population", "frobnicate")]
    public async Task BadArguments_PrintWhatIsWrong_AndExitWithCode2_WithoutTouchingAnyDatabase(string expected, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await PopulationCommand.RunAsync(args, output, error, interactive: false);

        Assert.Equal(PopulationCommand.Usage, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Help_ListsEveryOption_AndExitsWithCode0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await PopulationCommand.RunAsync(["population", "generate", "--help"], output, error, interactive: false);

        Assert.Equal(PopulationCommand.Loaded, exitCode);
        Assert.All(["--count", "--seed", "--as-of", "--append", "--replace", "--dry-run", "2026-11-01"], option => Assert.Contains(option, output.ToString()));
    }

    [Fact]
    public async Task Generate_IntoAFreshDatabase_LoadsAndSummarises_AndASecondRunWithoutAppendExitsWithCode3()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"grpcdvc-command-{Guid.NewGuid():N}");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            string[] args = ["population", "generate", "--count", "1_200", "--seed", "3", $"--Dvc:DataDir={dataDir}"];

            var first = await PopulationCommand.RunAsync(args, output, error, interactive: false);
            var second = await PopulationCommand.RunAsync(args, output, error, interactive: false);

            Assert.Equal((PopulationCommand.Loaded, PopulationCommand.AlreadyLoaded), (first, second));
            Assert.Matches(@"citizens\s+1,200\n", output.ToString().ReplaceLineEndings("\n"));
            // Redirected output gets plain lines (no bar redrawn with control codes), ending with the final state.
            Assert.Contains("1,200/1,200 citizens", error.ToString());
            Assert.DoesNotContain("\u001b[", error.ToString());
            Assert.Contains("already loaded (1,200 citizens)", error.ToString());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static (PopulationLoadRequest Request, IReadOnlyList<string> Configuration) Parse(params string[] args)
    {
        var commandLine = new PopulationCommandLine();
        var parsed = commandLine.Parse(args);
        Assert.Empty(PopulationCommandLine.Errors(parsed));
        var arguments = commandLine.Arguments(parsed);
        return (arguments.Request, arguments.Configuration);
    }
}
