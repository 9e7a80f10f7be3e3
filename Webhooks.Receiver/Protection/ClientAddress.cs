using System.Net;
using System.Net.Sockets;

namespace Webhooks.Receiver.Protection;

/// <summary>The key a caller is tracked by: its IPv4 address, or the /64 its IPv6 address is in.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// One host is usually given a whole IPv6 /64 and can pick any address in it, so tracking single
    /// IPv6 addresses would let one sender look like 2^64 clean ones.
    /// </summary>
    public static IPAddress KeyOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
