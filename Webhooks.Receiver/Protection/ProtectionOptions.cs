namespace Webhooks.Receiver.Protection;

/// <summary>
/// Limits on what an unauthenticated caller can make the receiver do (<c>Protection__*</c>). The
/// defaults suit a gateway that sends small bodies from a data centre; each one is a bound that a
/// real gateway never meets and a hostile client meets at once.
/// </summary>
public sealed class ProtectionOptions
{
    public const string SectionName = "Protection";

    /// <summary>
    /// Requests reading their body or having their signature checked at once, across all callers;
    /// beyond it new requests hear 503 at once. Each holds up to <c>Webhooks__MaxBodyBytes</c> in memory,
    /// so 64 bounds unverified bodies to 64 MiB at the default size, well inside the pod's 512 MiB.
    /// </summary>
    public int MaxConcurrentUnverified { get; set; } = 64;

    /// <summary>Longest time a request may take to deliver its whole body; a gateway sends within milliseconds.</summary>
    public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Failed verifications (401), bodies over the limit (413) and bodies too slow (408) from one address
    /// within <see cref="FailureWindow"/> after which the address is limited. A gateway with the right
    /// secret has none; ten leave room for a rotation done in the wrong order.
    /// </summary>
    public int FailureThreshold { get; set; } = 10;

    /// <summary>How long failures are remembered; a limited address is let go this long after its last failure.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests per second a limited address may still make (token bucket); the rest hear 429.</summary>
    public double LimitedRequestsPerSecond { get; set; } = 1;

    /// <summary>Burst a limited address may make before its bucket is empty.</summary>
    public int LimitedBurst { get; set; } = 2;

    /// <summary>
    /// Most addresses tracked at once. IPv6 addresses are tracked by their /64, so a sender spraying
    /// addresses from its own prefix is one entry; the cap bounds memory whatever it does (about
    /// 25 MB when full, measured with every entry limited).
    /// </summary>
    public int MaxTrackedAddresses { get; set; } = 100_000;

    /// <summary>Networks never limited, such as a gateway's published sender ranges (CIDR, e.g. <c>3.18.12.0/24</c>).</summary>
    public List<string> ExemptNetworks { get; set; } = [];

    /// <summary>
    /// Proxies in front of the receiver (CIDR) whose <c>X-Forwarded-For</c> names the real caller. Empty:
    /// the header is ignored and the caller is the TCP peer, since anyone can write the header.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Kestrel: longest time for the request line and headers to arrive (its default is 30 s).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Kestrel: largest header block; a webhook's headers are under 4 KiB.</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>Kestrel: most header fields in one request; gateways send about 15.</summary>
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>Kestrel: slowest body a client may send after the grace period, in bytes per second.</summary>
    public double MinBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>Kestrel: how long an idle kept-alive connection stays open (its default is 130 s).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Kestrel: open connections at once; beyond it new connections are closed. Unset: no cap.</summary>
    public long? MaxConnections { get; set; }

    /// <summary>Kestrel, HTTP/2: concurrent streams per connection (its default is 100).</summary>
    public int Http2MaxStreamsPerConnection { get; set; } = 32;
}
