using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using GrpcDvc.Server.Access;
using GrpcDvc.Tests.Probe;
using GrpcDvc.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace GrpcDvc.Tests.Access;

/// <summary>
/// Mistakes in wiring a service to the gate are a developer's, found at the first call: each must say
/// which rpc or type is wrong, so the failure in a log points at the fix.
/// </summary>
public sealed class GateWiringTests
{
    private static readonly Marshaller<Empty> EmptyMarshaller = Marshallers.Create(Google.Protobuf.MessageExtensions.ToByteArray, Empty.Parser.ParseFrom);

    [Fact]
    public void RpcDescriptors_CallNotRoutedToAGrpcService_NamesTheCall()
    {
        var context = new TestCallContext("/dvc.testing.v1.AccessProbeService/ReadRecord", endpoint: null);

        var ex = Assert.Throws<InvalidOperationException>(() => RpcDescriptors.Of(context));

        Assert.Equal("/dvc.testing.v1.AccessProbeService/ReadRecord was not routed to a gRPC service.", ex.Message);
    }

    [Fact]
    public void RpcDescriptors_ServiceTypeWithoutAGeneratedBase_NamesTheType()
    {
        var context = new TestCallContext("/dvc.testing.v1.Handwritten/Read", Endpoint(typeof(HandwrittenService), "dvc.testing.v1.Handwritten", "Read"));

        var ex = Assert.Throws<InvalidOperationException>(() => RpcDescriptors.Of(context));

        Assert.Equal("HandwrittenService does not derive from a Grpc.Tools-generated service base.", ex.Message);
    }

    [Fact]
    public void RpcDescriptors_MethodTheProtoDoesNotDeclare_NamesTheServiceAndTheMethod()
    {
        var context = new TestCallContext("/dvc.testing.v1.AccessProbeService/Forget", Endpoint(typeof(TestAccessProbeService), "dvc.testing.v1.AccessProbeService", "Forget"));

        var ex = Assert.Throws<InvalidOperationException>(() => RpcDescriptors.Of(context));

        Assert.Equal("dvc.testing.v1.AccessProbeService declares no rpc Forget.", ex.Message);
    }

    [Fact]
    public void RpcDescriptors_CallRoutedToAGeneratedService_FindsTheRpcOfTheProto()
    {
        var context = new TestCallContext("/dvc.testing.v1.AccessProbeService/ReadRecord", Endpoint(typeof(TestAccessProbeService), "dvc.testing.v1.AccessProbeService", "ReadRecord"));

        Assert.Same(AccessProbeService.Descriptor.FindMethodByName("ReadRecord"), RpcDescriptors.Of(context));
    }

    [Fact]
    public void GetCaller_OnACallNobodySignedInto_IsUnauthenticated_CallingItAPolicyBug()
    {
        var context = new TestCallContext("/dvc.testing.v1.AccessProbeService/WhoIsCalling", endpoint: null);

        var ex = Assert.Throws<RpcException>(() => context.GetCaller());

        Assert.Null(context.TryGetCaller());
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Equal("This call needs a signed-in caller.", ex.Status.Detail);
    }

    [Fact]
    public void AccessContext_OfAClientStreamingRequest_IsNotOffered_SoAPurposeDeclaredThereFailsTheProtoCheck()
    {
        // ReadRecords streams the same ReadRecordRequest that ReadRecord takes, whose AccessContext the gate checks;
        // a streamed one has not arrived when the gate runs, so the rule must not promise it (the proto check
        // PurposeRequired_IsOnlyDeclaredWhereTheRequestCarriesAnAccessContext relies on this).
        var unary = MethodRule.For(AccessProbeService.Descriptor.FindMethodByName("ReadRecord"), new AccessOptions());
        var streamed = MethodRule.For(AccessProbeService.Descriptor.FindMethodByName("ReadRecords"), new AccessOptions());

        Assert.Equal("access", unary.AccessContextField?.Name);
        Assert.Null(streamed.AccessContextField);
    }

    private static Endpoint Endpoint(System.Type serviceType, string service, string method)
        => new(null, new EndpointMetadataCollection(new GrpcMethodMetadata(serviceType, new Method<Empty, Empty>(MethodType.Unary, service, method, EmptyMarshaller, EmptyMarshaller))), $"{service}/{method}");

    /// <summary>A service class wired by hand, not derived from a Grpc.Tools-generated base.</summary>
    private sealed class HandwrittenService;
}
