using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// Checks the 5-byte header of each gRPC message a request sends before grpc-dotnet reads it. grpc-dotnet
/// throws plain exceptions for a compressed flag other than 0 or 1 and for a length of 2 GiB or more,
/// which it then reports as UNKNOWN "Exception was thrown by handler." (the bad-input campaign's huge
/// length prefixes); here they end as INTERNAL (a malformed frame, as for a message that does not parse)
/// and RESOURCE_EXHAUSTED (past the message-size limit, as grpc-dotnet answers smaller oversized ones).
/// </summary>
internal static class RequestFrames
{
    public const string MalformedMessage = "The request's message frame is malformed";

    /// <summary>After routing and gRPC-Web (which decodes the body it hands on): every gRPC request's body is read through the check.</summary>
    public static void UseRequestFrameCheck(this WebApplication app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
            && context.Features.Get<IRequestBodyPipeFeature>() is { } body)
        {
            context.Features.Set<IRequestBodyPipeFeature>(new CheckedBody(new FrameCheckingReader(body.Reader)));
        }

        return next(context);
    });

    private sealed class CheckedBody(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    /// <summary>
    /// grpc-dotnet consumes whole messages, so each buffer it is handed starts at a message header; a
    /// header that cannot be read is refused there, before grpc-dotnet sees it.
    /// </summary>
    private sealed class FrameCheckingReader(PipeReader inner) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            Check(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            Check(result.Buffer);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        private void Check(ReadOnlySequence<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return;
            }

            Span<byte> header = stackalloc byte[5];
            var available = (int)Math.Min(buffer.Length, header.Length);
            buffer.Slice(0, available).CopyTo(header);
            Status? refusal = header[0] > 1
                ? new Status(StatusCode.Internal, $"{MalformedMessage}: compressed flag {header[0]} (only 0 and 1 exist).")
                : available == header.Length && BinaryPrimitives.ReadUInt32BigEndian(header[1..]) > int.MaxValue
                    ? new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.")
                    : null;
            if (refusal is { } status)
            {
                inner.AdvanceTo(buffer.Start);
                throw new RpcException(status);
            }
        }
    }
}
