using System.Net;
using System.Net.Sockets;

namespace DynoDashboard.TestServers;

public static class LoopbackPort
{
    /// <summary>A loopback port nobody listened on a moment ago (another process may still take it: callers that
    /// bind it retry).</summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
