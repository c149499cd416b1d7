using System.Net;
using System.Net.Sockets;

namespace GrpcDvc.Tests.Support;

internal static class FreePort
{
    /// <summary>A port free on loopback right now (for servers started as separate processes).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
