namespace Webhooks.Receiver.Protection;

/// <summary>
/// A token bucket on the injected clock. System.Threading.RateLimiting's limiters read the system
/// clock and start a timer each (dotnet/runtime#106447), which neither a fake clock nor thousands
/// of limited addresses go well with; this one only does arithmetic when asked. Not thread-safe:
/// its owner locks.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private long _updated;

    public TokenBucket(int capacity, double perSecond, long now, bool startEmpty = false)
    {
        _capacity = capacity;
        _perSecond = perSecond;
        _tokens = startEmpty ? 0 : capacity;
        _updated = now;
    }

    /// <summary>Takes a token if there is one; otherwise says how long until there will be.</summary>
    public bool TryTake(long now, TimeProvider clock, out TimeSpan retryAfter)
    {
        var elapsed = clock.GetElapsedTime(_updated, now).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _perSecond));
            _updated = now;
        }

        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / _perSecond);
        return false;
    }
}
