using System.Threading.RateLimiting;

namespace Webhooks.Receiver.Protection;

/// <summary>
/// The guard's answer to one request. When admitted it holds a slot of the unverified cap until
/// disposed, which the endpoint does as soon as the signature has been checked.
/// </summary>
public sealed class IngressAdmission : IDisposable
{
    private RateLimitLease? _slot;

    private IngressAdmission(IngressVerdict verdict, TimeSpan retryAfter, RateLimitLease? slot)
    {
        Verdict = verdict;
        RetryAfter = retryAfter;
        _slot = slot;
    }

    public IngressVerdict Verdict { get; }

    /// <summary>For a refusal: how long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; }

    internal static IngressAdmission Admitted(RateLimitLease slot) => new(IngressVerdict.Admitted, TimeSpan.Zero, slot);

    internal static IngressAdmission RateLimited(TimeSpan retryAfter) => new(IngressVerdict.RateLimited, retryAfter, null);

    internal static IngressAdmission Overloaded(TimeSpan retryAfter) => new(IngressVerdict.Overloaded, retryAfter, null);

    /// <summary>Gives the slot back; safe to call more than once.</summary>
    public void Dispose() => Interlocked.Exchange(ref _slot, null)?.Dispose();
}
