namespace Webhooks.Receiver.Protection;

/// <summary>
/// One tracked address: its recent failures and, once it has too many, the strict bucket it is
/// limited by. Timestamps are the injected clock's.
/// </summary>
internal sealed class SuspectAddress(long now)
{
    private readonly Lock _gate = new();
    private long _windowStart = now;
    private long _lastFailure = now;
    private int _failures;
    private TokenBucket? _limit;

    /// <summary>Counts a failure; true when this one made the address limited.</summary>
    public bool RecordFailure(long now, TimeProvider clock, ProtectionOptions options)
    {
        lock (_gate)
        {
            if (_limit is null && clock.GetElapsedTime(_windowStart, now) > options.FailureWindow)
            {
                _windowStart = now;
                _failures = 0;
            }

            _failures++;
            _lastFailure = now;
            if (_limit is null && _failures >= options.FailureThreshold)
            {
                // Empty at first: the failures just counted were the address's burst.
                _limit = new TokenBucket(options.LimitedBurst, options.LimitedRequestsPerSecond, now, startEmpty: true);
                return true;
            }

            return false;
        }
    }

    /// <summary>Whether a request from this address may go on to be read and verified.</summary>
    public bool TryAdmit(long now, TimeProvider clock, ProtectionOptions options, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            retryAfter = TimeSpan.Zero;
            if (_limit is null)
            {
                return true;
            }

            if (clock.GetElapsedTime(_lastFailure, now) > options.FailureWindow)
            {
                // A whole window without a failure: the address is clean again.
                _limit = null;
                _failures = 0;
                _windowStart = now;
                return true;
            }

            return _limit.TryTake(now, clock, out retryAfter);
        }
    }

    /// <summary>Nothing to remember any more: no failure for a whole window.</summary>
    public bool IsIdle(long now, TimeProvider clock, TimeSpan window)
    {
        lock (_gate)
        {
            return clock.GetElapsedTime(_lastFailure, now) > window;
        }
    }
}
