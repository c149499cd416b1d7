using System.Diagnostics;
using System.Text.Json;
using GrpcDvc.Contracts.Dossiers.V1;
using GrpcDvc.Server.Dossiers;
using GrpcDvc.Server.Storage;
using GrpcDvc.Tests.Access;
using GrpcDvc.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Dossiers.Attachments;

/// <summary>
/// Python grpcio (Debian's python3-grpcio), a client nobody here wrote, uploading with client streaming:
/// tests/peers/python/attachment_upload.py sends the header and then the file from a generator.
/// </summary>
public sealed class PythonUploadTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private InProcessServer _server = null!;
    private readonly string _descriptorSet = DescriptorSets.Write(DossiersReflection.Descriptor);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"grpcdvc-upload-{Guid.NewGuid():N}.png");

    public async Task InitializeAsync() => _server = await InProcessServer.StartAsync(null, "--Dvc:Population:DemoCitizens=0");

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_descriptorSet);
        File.Delete(_file);
    }

    [Fact]
    public async Task PythonGrpcio_StreamsAPngIn10KiBChunks_ServerStoresItUnderTheSameSha256()
    {
        var png = UploadClient.PngFile(333_333);
        await File.WriteAllBytesAsync(_file, png);
        var token = await TestCallers.CitizenAsync(_server);

        var result = await RunAsync(token, _file, "image/png", "10240");

        Assert.Equal("OK", result.GetProperty("status").GetString());
        var sha256 = result.GetProperty("sha256").GetString();
        Assert.Equal(UploadClient.Sha256(png), result.GetProperty("local_sha256").GetString());
        Assert.Equal(UploadClient.Sha256(png), sha256);
        Assert.Equal(png.Length, result.GetProperty("size").GetInt64());
        Assert.Equal("image/png", result.GetProperty("content_type").GetString());
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DvcDbContext>();
        var row = await db.Attachments().SingleAsync(a => a.Id == Guid.Parse(result.GetProperty("id").GetString()!));
        Assert.Equal(sha256, row.Sha256);
        var stored = await db.AttachmentContents().SingleAsync(c => c.Sha256 == sha256);
        Assert.Equal(png, stored.Content);
    }

    [Fact]
    public async Task PythonGrpcio_DeclaresPdfForPngBytes_GetsInvalidArgumentWithDetails()
    {
        await File.WriteAllBytesAsync(_file, UploadClient.PngFile(50_000));
        var token = await TestCallers.CitizenAsync(_server);

        var result = await RunAsync(token, _file, "application/pdf");

        Assert.Equal("INVALID_ARGUMENT", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("has_status_details").GetBoolean());
    }

    private async Task<JsonElement> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(RepoPaths.Peer(Path.Combine("python", "attachment_upload.py")));
        info.ArgumentList.Add($"{_server.GrpcAddress.Host}:{_server.GrpcAddress.Port}");
        info.ArgumentList.Add(_descriptorSet);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"python failed ({process.ExitCode}): {await stderr}\n{output}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
