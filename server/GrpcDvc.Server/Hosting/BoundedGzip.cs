using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace GrpcDvc.Server.Hosting;

/// <summary>
/// gzip for gRPC messages, with the message-size limit applied to what a request inflates to.
/// grpc-dotnet checks Dvc:Grpc:MaxReceiveMessageSize against the compressed size only and inflates
/// into memory without a bound: 64 KiB of gzip became 64 MiB in the server before the message was
/// even parsed (a 4 MiB request could ask for 4 GiB). Here inflating stops at the limit with
/// RESOURCE_EXHAUSTED, and a body that is not gzip ends as INTERNAL (gRPC's status for "could not
/// decompress") instead of UNKNOWN.
/// </summary>
internal sealed class BoundedGzip(int maxMessageSize) : ICompressionProvider
{
    public const string NotGzipMessage = "The request message could not be decompressed";

    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel)
        => new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) => new Inflating(new GZipStream(stream, CompressionMode.Decompress), maxMessageSize);

    private sealed class Inflating(GZipStream gzip, int limit) : Stream
    {
        private long _inflated;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _inflated;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = gzip.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new RpcException(new Status(StatusCode.Internal, $"{NotGzipMessage}: {e.Message}"));
            }

            _inflated += read;
            return _inflated > limit
                ? throw new RpcException(new Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."))
                : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                gzip.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
