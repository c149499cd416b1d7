using GrpcDvc.Grpc.Wire;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;

namespace GrpcDvc.Tests.Grpc;

/// <summary>
/// The server's own deadline: a raw HTTP/2 client never cancels on its own, so whatever ends
/// these calls is the server honouring grpc-timeout.
/// </summary>
public sealed class DeadlineWireTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    private const string Sleep = "/dvc.testing.v1.ProbeService/Sleep";
    private const string Echo = "/dvc.testing.v1.ProbeService/Echo";

    [Fact]
    public async Task GrpcTimeout_PassesWhileHandlerWaits_EndsDeadlineExceededAndFiresItsToken()
    {
        var requestId = Guid.NewGuid().ToString("N");

        var response = await PostAsync(Sleep, MessageFraming.Frame(new SleepRequest { RequestId = requestId }), "200m");

        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        var seen = await CancellationObservations.WaitAsync(requestId, TimeSpan.FromSeconds(15));
        Assert.Equal(CancellationCause.DeadlinePassed, seen.Cause);
    }

    [Theory]
    [InlineData("0m")]
    [InlineData("0S")]
    public async Task GrpcTimeout_NoTimeLeft_EndsDeadlineExceededWithoutRunningTheHandler(string timeout)
    {
        var response = await PostAsync(Echo, MessageFraming.Frame(new EchoRequest { Text = "late" }), timeout);

        Assert.Equal(StatusCode.DeadlineExceeded, response.GrpcStatus);
        Assert.True(response.IsTrailersOnly);
    }

    [Theory]
    [InlineData("1440H")] // 60 days: longer than one .NET timer can wait
    [InlineData("99999999S")] // the most seconds the header can say (over 3 years)
    [InlineData("99999999H")] // past the year 9999
    public async Task GrpcTimeout_LongerThanATimerCanWait_IsServed(string timeout)
    {
        var response = await PostAsync(Echo, MessageFraming.Frame(new EchoRequest { Text = "patient" }), timeout);

        Assert.Equal(StatusCode.OK, response.GrpcStatus);
        var reply = EchoResponse.Parser.ParseFrom(Assert.Single(await GrpcFrames.SplitAsync(response.Body)).Payload);
        Assert.Equal("patient", reply.Text);
    }

    private Task<RawResponse> PostAsync(string path, byte[] body, string timeout)
        => RawGrpc.PostAsync(fixture.Server.GrpcAddress, path, body, headers: new Dictionary<string, string> { ["grpc-timeout"] = timeout });
}
