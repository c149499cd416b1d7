namespace GrpcDvc.Tests.Protos;

/// <summary>
/// protos/check.sh, the contract check test.sh runs, on throwaway git histories: a breaking change to
/// v1 fails it, an additive one passes, and the edges of "the previous commit" (none, cut by a
/// shallow clone, without buf.yaml and with the standard protos beside dvc/) are handled as documented.
/// </summary>
public sealed class ContractCheckTests(BufInstall buf) : IClassFixture<BufInstall>
{
    private const string Types = "dvc/common/v1/types.proto";
    private const string Catalog = "dvc/catalog/v1/catalog.proto";

    // Stands in for the standard protos (google/rpc, grpc/health, ...) that sat beside dvc/.
    private const string StandardProto =
        "syntax = \"proto3\";\n\npackage google.rpc;\n\nmessage Status {\n  int32 code = 1;\n  string message = 2;\n}\n";

    public static TheoryData<string> BreakingChanges =>
    [
        "field removed", "field number changed", "field renamed", "rpc removed", "enum value removed", "file deleted",
    ];

    [Theory]
    [MemberData(nameof(BreakingChanges))]
    public async Task Breaking_ChangeToCommittedV1_CheckFails(string change)
    {
        using var repo = await ContractRepo.InitAsync(buf);
        repo.AddOurContract();
        repo.AddTooling();
        await repo.CommitAsync("v1 as portals know it");

        MakeBreakingChange(repo, change);
        await repo.CommitAsync(change);
        var (exitCode, output) = await repo.CheckAsync();

        Assert.True(exitCode != 0, $"check.sh passed a breaking change ({change}):\n{output}");
        Assert.Contains("breaking FAILED", output, StringComparison.Ordinal);
        Assert.Contains("lint passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaking_UncommittedChangeInWorkingTree_CheckFails()
    {
        using var repo = await ContractRepo.InitAsync(buf);
        repo.AddOurContract();
        repo.AddTooling();
        await repo.CommitAsync("one");
        await repo.CommitAsync("two");

        repo.Edit(Types, "int32 day = 3;", "int32 day = 4;");
        var (exitCode, output) = await repo.CheckAsync();

        Assert.True(exitCode != 0, output);
        Assert.Contains("Previously present field \"3\" with name \"day\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaking_AdditiveChange_CheckPasses()
    {
        using var repo = await ContractRepo.InitAsync(buf);
        repo.AddOurContract();
        repo.AddTooling();
        await repo.CommitAsync("v1 as portals know it");

        // A new field, a new enum value, a new message and a new rpc: all additive.
        repo.Edit(Types, "  int32 day = 3;\n", "  int32 day = 3;\n  // Added later.\n  string calendar = 4;\n");
        repo.Edit(Catalog, "  PROCEDURE_FIELD_UNSPECIFIED = 0;\n",
            "  PROCEDURE_FIELD_UNSPECIFIED = 0;\n  PROCEDURE_FIELD_FIREARMS = 90;\n");
        repo.Edit(Catalog, "service CatalogService {\n",
            "service CatalogService {\n  rpc CountProcedures(CountProceduresRequest) returns (CountProceduresResponse) {\n"
            + "    option (dvc.auth.v1.policy) = { public: true };\n  }\n");
        repo.Edit(Catalog, "message IntakeDays {",
            "message CountProceduresRequest {}\n\nmessage CountProceduresResponse {\n  int32 count = 1;\n}\n\nmessage IntakeDays {");
        await repo.CommitAsync("additive");
        var (exitCode, output) = await repo.CheckAsync();

        Assert.True(exitCode == 0, output);
        Assert.Contains("breaking passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaking_FirstCommit_SkippedWithMessage()
    {
        using var repo = await ContractRepo.InitAsync(buf);
        repo.AddOurContract();
        repo.AddTooling();
        await repo.CommitAsync("the only commit");

        var (exitCode, output) = await repo.CheckAsync(ci: true);

        Assert.True(exitCode == 0, output);
        Assert.Contains("lint passed", output, StringComparison.Ordinal);
        Assert.Contains("breaking SKIPPED: HEAD is the first commit", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaking_PreviousCommitWithoutBufConfigAndWithStandardProtos_ComparesDvcOnly()
    {
        using var repo = await ContractRepo.InitAsync(buf);
        repo.AddOurContract();
        repo.Write("google/rpc/status.proto", StandardProto);
        await repo.CommitAsync("before the contract check: no buf.yaml, standard protos beside dvc/");

        // The standard protos go (packages provide them); that is no break of our contract.
        repo.Delete("google");
        repo.AddTooling();
        await repo.CommitAsync("contract check; standard protos from packages");
        var (exitCode, output) = await repo.CheckAsync();
        Assert.True(exitCode == 0, output);
        Assert.Contains("breaking passed", output, StringComparison.Ordinal);

        // dvc/ is still compared against that old commit.
        repo.Edit(Types, "  int32 day = 3;\n", "");
        (exitCode, output) = await repo.CheckAsync();
        Assert.True(exitCode != 0, output);
        Assert.Contains("\"day\" on message \"Date\" was deleted", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Breaking_ShallowCloneWithoutParent_FailsInCiSkipsElsewhere()
    {
        using var origin = await ContractRepo.InitAsync(buf);
        origin.AddOurContract();
        origin.AddTooling();
        await origin.CommitAsync("one");
        origin.Edit(Types, "int32 day = 3;", "int32 day = 4;");
        await origin.CommitAsync("a breaking change the shallow clone cannot see");
        using var clone = await ContractRepo.ShallowCloneAsync(origin, buf);

        var (ciExit, ciOutput) = await clone.CheckAsync(ci: true);
        var (localExit, localOutput) = await clone.CheckAsync(ci: false);

        Assert.True(ciExit != 0, ciOutput);
        Assert.Contains("not in this shallow clone", ciOutput, StringComparison.Ordinal);
        Assert.True(localExit == 0, localOutput);
        Assert.Contains("breaking SKIPPED", localOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_NewFileBreakingStandardRules_CheckFails()
    {
        using var repo = await ContractRepo.InitAsync(buf);
        repo.AddOurContract();
        repo.AddTooling();
        await repo.CommitAsync("v1");

        // The exceptions in buf.yaml are per file: a new file gets STANDARD in full.
        repo.Write("dvc/common/v1/colour.proto",
            "syntax = \"proto3\";\n\npackage dvc.common.v1;\n\nenum Colour {\n  RED = 0;\n}\n");
        var (exitCode, output) = await repo.CheckAsync();

        Assert.True(exitCode != 0, output);
        Assert.Contains("lint FAILED", output, StringComparison.Ordinal);
        Assert.Contains("dvc/common/v1/colour.proto", output, StringComparison.Ordinal);
    }

    private static void MakeBreakingChange(ContractRepo repo, string change)
    {
        switch (change)
        {
            case "field removed":
                repo.Edit(Types, "  int32 day = 3;\n", "");
                break;
            case "field number changed":
                repo.Edit(Types, "int32 day = 3;", "int32 day = 4;");
                break;
            case "field renamed":
                // Same number and type: the binary wire does not notice, generated code does.
                repo.Edit(Types, "int32 day = 3;", "int32 day_of_month = 3;");
                break;
            case "rpc removed":
                repo.Edit(Catalog, "rpc GetProcedure(GetProcedureRequest) returns (GetProcedureResponse) {\n"
                    + "    option (dvc.auth.v1.policy) = { public: true };\n  }\n", "");
                break;
            case "enum value removed":
                repo.Edit(Catalog, "  PROCEDURE_FIELD_SECURITY_CONDITIONAL_BUSINESS = 3;\n", "");
                break;
            case "file deleted":
                // identity.proto is imported by no other file, so the rest still compiles.
                repo.Delete("dvc/identity/v1/identity.proto");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change), change, "no such change");
        }
    }
}
