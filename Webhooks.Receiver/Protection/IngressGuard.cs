using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Protection;

/// <summary>
/// Decides, before a byte of the body is read or any HMAC computed, whether a request may go on.
/// Two limits: an address that recently failed verification is held to a strict bucket (429), and
/// the number of requests being read and verified at once is capped for everyone (503), so neither
/// one noisy sender nor many can take the memory and CPU that verified traffic needs.
/// </summary>
public sealed class IngressGuard : IDisposable
{
    // The cap frees up as fast as bodies arrive, so a short wait is enough.
    private static readonly TimeSpan OverloadRetryAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrencyLimiter _unverified;
    private readonly SuspectAddresses _suspects;

    public IngressGuard(IOptions<ProtectionOptions> options, SuspectAddresses suspects)
    {
        // No queue: a request over the cap is told at once rather than held open, which is what a flood wants.
        _unverified = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Value.MaxConcurrentUnverified, QueueLimit = 0 });
        _suspects = suspects;
    }

    public IngressAdmission Admit(IPAddress? remote)
    {
        if (!_suspects.TryAdmit(remote, out var retryAfter))
        {
            return IngressAdmission.RateLimited(retryAfter);
        }

        var slot = _unverified.AttemptAcquire();
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            return IngressAdmission.Overloaded(OverloadRetryAfter);
        }

        return IngressAdmission.Admitted(slot);
    }

    /// <summary>Counts a 401, 408 or 413 against the caller's address.</summary>
    public void RecordFailure(IPAddress? remote) => _suspects.RecordFailure(remote);

    public void Dispose() => _unverified.Dispose();
}
