namespace Webhooks.Cli.Simulation;

/// <summary>
/// Keeps the run at <c>--rate</c> requests per second, shared by all senders: each request takes the
/// next slot on the injected clock (a generic cell rate algorithm, i.e. a token bucket). A bucket of
/// about 50 ms worth of requests lets high rates go out in small bursts, as a timer cannot wake more
/// often than every millisecond or so; at ordinary rates requests are evenly spaced.
/// </summary>
internal sealed class RequestPacer
{
    private static readonly TimeSpan BurstWindow = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _tolerance;
    private readonly Lock _lock = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public RequestPacer(double requestsPerSecond, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        if (requestsPerSecond > 0)
        {
            _interval = TimeSpan.FromSeconds(1 / requestsPerSecond);
            var burst = Math.Max(1, (int)(requestsPerSecond * BurstWindow.TotalSeconds));
            _tolerance = _interval * (burst - 1);
        }
    }

    /// <summary>Waits for this request's slot; at once when there is no limit or the bucket has room.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        TimeSpan wait;
        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + _interval;
            wait = slot - now - _tolerance;
        }

        return wait > TimeSpan.Zero ? Task.Delay(wait, _timeProvider, cancellationToken) : Task.CompletedTask;
    }
}
