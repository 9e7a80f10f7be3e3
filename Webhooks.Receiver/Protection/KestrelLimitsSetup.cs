using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Configuration;

namespace Webhooks.Receiver.Protection;

/// <summary>
/// Kestrel's own limits, from the validated settings. They act before the application sees a byte:
/// slow or huge header blocks, trickling bodies and idle connections are the server's to end.
/// </summary>
internal sealed class KestrelLimitsSetup(IOptions<ProtectionOptions> protection, IOptions<WebhooksOptions> webhooks) : IConfigureOptions<KestrelServerOptions>
{
    // A request line is a method and /webhooks/<name>; 8 KiB (Kestrel's default) is already generous.
    private const int MaxRequestLineSize = 8 * 1024;

    // Kestrel needs a grace period above its one-second heartbeat; five lets TCP slow start finish.
    private static readonly TimeSpan BodyRateGracePeriod = TimeSpan.FromSeconds(5);

    // RFC 9112 lets a server take a bare LF as a line end, and Kestrel does by default; a proxy in
    // front that does not would see other headers than we do (request smuggling). Gateways send CRLF.
    private const string RejectBareLineFeeds = "Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators";

    public void Configure(KestrelServerOptions options)
    {
        // Kestrel reads the switch when it builds its parser, after these options.
        AppContext.SetSwitch(RejectBareLineFeeds, true);
        var limits = protection.Value;
        options.AddServerHeader = false;
        options.Limits.MaxRequestBodySize = webhooks.Value.MaxBodyBytes;
        options.Limits.MaxRequestLineSize = MaxRequestLineSize;
        options.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        options.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
        options.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        options.Limits.MinRequestBodyDataRate = limits.MinBodyBytesPerSecond > 0 ? new MinDataRate(limits.MinBodyBytesPerSecond, BodyRateGracePeriod) : null;
        options.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        options.Limits.MaxConcurrentConnections = limits.MaxConnections;
        // Nothing on this service upgrades a connection (no WebSockets).
        options.Limits.MaxConcurrentUpgradedConnections = 0;
        options.Limits.Http2.MaxStreamsPerConnection = limits.Http2MaxStreamsPerConnection;
        // One HTTP/2 header field at most the size of a whole HTTP/1.1 header block.
        options.Limits.Http2.MaxRequestHeaderFieldSize = Math.Min(limits.MaxRequestHeadersTotalSize, options.Limits.Http2.MaxRequestHeaderFieldSize);
    }
}
