using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Protection;

/// <summary>
/// Trusts <c>X-Forwarded-For</c> from the configured proxies only, and from nobody when none is
/// configured. Behind an ingress the TCP peer is the ingress: without this, one flood would get the
/// ingress's address limited and every gateway with it.
/// </summary>
internal sealed class ForwardedHeadersSetup(IOptions<ProtectionOptions> protection) : IConfigureOptions<ForwardedHeadersOptions>
{
    public void Configure(ForwardedHeadersOptions options)
    {
        var proxies = protection.Value.TrustedProxies;
        // The framework trusts loopback by default; here nothing is trusted unless configured.
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
        }

        // Only the caller's address: scheme and host are not ours to take from a header.
        options.ForwardedHeaders = proxies.Count > 0 ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None;
        // The entry the last trusted proxy appended; anything further left was written by the caller.
        options.ForwardLimit = 1;
    }
}
