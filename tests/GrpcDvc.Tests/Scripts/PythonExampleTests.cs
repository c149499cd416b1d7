using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Scripts;

/// <summary>clients/python/run.sh, the README's Python example, run as a new user runs it, against the real server.</summary>
public sealed class PythonExampleTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    private const string RunScript = "clients/python/run.sh";

    [Fact]
    public async Task RunSh_AgainstServer_ListsProceduresGetsOneAndDecodesFieldViolation()
    {
        var result = await ShellScript.RunAsync(RunScript, fixture.GrpcTarget);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n');
        Assert.Contains("ListProcedures: 10 of 35 procedures", lines);
        // Codes and Vietnamese names, diacritics intact, from generated message classes.
        Assert.Contains("  BCA-L4-03  Đăng ký tạm trú thực hiện tại Công an cấp xã", lines);
        Assert.Contains(lines, l => l.StartsWith("GetProcedure BCA-L3-01: Cấp thẻ Căn cước công dân", StringComparison.Ordinal));
        // The rich error: google.rpc.Status from grpc-status-details-bin, its BadRequest and ErrorInfo.
        Assert.Contains("  status: INVALID_ARGUMENT: A procedure code is required.", lines);
        Assert.Contains("  field violation: code: Must not be empty. (REQUIRED)", lines);
        Assert.Contains("  error info: INVALID_ARGUMENT (dvc.gov.vn)", lines);
    }

    [Fact]
    public async Task RunSh_GeneratedCode_GoesOnlyToIgnoredFolder()
    {
        var result = await ShellScript.RunAsync(RunScript, fixture.GrpcTarget);
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "clients", "python", "generated", "dvc", "catalog", "v1", "catalog_pb2.py")));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "clients", "python", "generated", "google", "rpc", "error_details_pb2.py")));
        // Anything generated outside the ignored folder (the repository root, protos/) would be listed here.
        var untracked = await ShellScript.RunGitAsync("ls-files", "--others", "--exclude-standard");
        Assert.DoesNotContain(untracked.Split('\n'), f => f.EndsWith("_pb2.py", StringComparison.Ordinal) || f.EndsWith("_pb2_grpc.py", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunSh_NoServerListening_ExitsNonZeroAndSaysHowToStartIt()
    {
        var result = await ShellScript.RunAsync(RunScript, $"127.0.0.1:{FreePort.Next()}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("UNAVAILABLE", result.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project server/GrpcDvc.Server", result.Error, StringComparison.Ordinal);
    }
}
