using System.Net;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Protection;

/// <summary>Checks the limits at start; each message names the environment variable to fix.</summary>
internal sealed class ProtectionOptionsValidator : IValidateOptions<ProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, ProtectionOptions options)
    {
        var failures = new List<string>();
        Check(failures, options.MaxConcurrentUnverified is >= 1 and <= 100_000,
            $"Protection__MaxConcurrentUnverified is {options.MaxConcurrentUnverified}: use 1 to 100000.");
        Check(failures, InRange(options.BodyTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)),
            $"Protection__BodyTimeout is {options.BodyTimeout}: use 00:00:01 to 00:05:00.");
        Check(failures, options.FailureThreshold is >= 1 and <= 1_000_000,
            $"Protection__FailureThreshold is {options.FailureThreshold}: use 1 to 1000000.");
        Check(failures, InRange(options.FailureWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            $"Protection__FailureWindow is {options.FailureWindow}: use 00:00:01 to 1.00:00:00.");
        Check(failures, options.LimitedRequestsPerSecond is > 0 and <= 10_000,
            $"Protection__LimitedRequestsPerSecond is {options.LimitedRequestsPerSecond}: use a value above 0 and at most 10000.");
        Check(failures, options.LimitedBurst is >= 1 and <= 10_000,
            $"Protection__LimitedBurst is {options.LimitedBurst}: use 1 to 10000.");
        Check(failures, options.MaxTrackedAddresses is >= 1 and <= 10_000_000,
            $"Protection__MaxTrackedAddresses is {options.MaxTrackedAddresses}: use 1 to 10000000.");
        for (var i = 0; i < options.ExemptNetworks.Count; i++)
        {
            Check(failures, IPNetwork.TryParse(options.ExemptNetworks[i], out _),
                $"Protection__ExemptNetworks__{i} is '{options.ExemptNetworks[i]}': expected a network in CIDR notation such as 10.0.0.0/8.");
        }

        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            Check(failures, IPNetwork.TryParse(options.TrustedProxies[i], out _),
                $"Protection__TrustedProxies__{i} is '{options.TrustedProxies[i]}': expected a network in CIDR notation such as 10.0.0.0/8.");
        }

        // Kestrel checks its timeouts once a second, so anything shorter would not mean what it says.
        Check(failures, InRange(options.RequestHeadersTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)),
            $"Protection__RequestHeadersTimeout is {options.RequestHeadersTimeout}: use 00:00:01 to 00:05:00.");
        Check(failures, options.MaxRequestHeadersTotalSize is >= 4096 and <= 1024 * 1024,
            $"Protection__MaxRequestHeadersTotalSize is {options.MaxRequestHeadersTotalSize}: use 4096 to 1048576.");
        Check(failures, options.MaxRequestHeaderCount is >= 16 and <= 1000,
            $"Protection__MaxRequestHeaderCount is {options.MaxRequestHeaderCount}: use 16 to 1000.");
        Check(failures, options.MinBodyBytesPerSecond is >= 0 and <= 10 * 1024 * 1024,
            $"Protection__MinBodyBytesPerSecond is {options.MinBodyBytesPerSecond}: use 0 (no minimum) to 10485760.");
        Check(failures, InRange(options.KeepAliveTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
            $"Protection__KeepAliveTimeout is {options.KeepAliveTimeout}: use 00:00:01 to 00:10:00.");
        Check(failures, options.MaxConnections is null or >= 1,
            $"Protection__MaxConnections is {options.MaxConnections}: use a positive number, or leave it unset for no cap.");
        Check(failures, options.Http2MaxStreamsPerConnection is >= 1 and <= 1000,
            $"Protection__Http2MaxStreamsPerConnection is {options.Http2MaxStreamsPerConnection}: use 1 to 1000.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool InRange(TimeSpan value, TimeSpan min, TimeSpan max) => value >= min && value <= max;

    private static void Check(List<string> failures, bool ok, string failure)
    {
        if (!ok)
        {
            failures.Add(failure);
        }
    }
}
