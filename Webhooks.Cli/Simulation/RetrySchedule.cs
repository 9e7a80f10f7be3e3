using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// A gateway's retries: after a non-2xx answer or none at all, try again after a delay that doubles
/// each time (with ±20 % jitter, so that many failed deliveries do not all come back at once), at
/// most <see cref="MaxRetries"/> times; then give up. Stripe spreads its retries over days; a
/// simulation keeps the same shape in seconds.
/// </summary>
internal sealed record RetrySchedule(int MaxRetries, TimeSpan FirstDelay)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Jitter of a retry delay.")]
    public TimeSpan DelayBefore(int retry)
    {
        var delay = FirstDelay * Math.Pow(2, retry - 1) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
