namespace Webhooks.Infrastructure.Hosting;

/// <summary>
/// Wakes a <see cref="PeriodicJob"/> for a round now rather than at its next tick (an alert just
/// committed that must not wait). Wakes that come while the job is busy collapse into one round.
/// A job that someone else must be able to wake takes one of these from the container.
/// </summary>
public class JobWake : IDisposable
{
    private readonly SemaphoreSlim _woken = new(0, 1);

    public void Wake()
    {
        try
        {
            _woken.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken and not yet awake: one round serves both.
        }
    }

    /// <summary>Woken and not yet awake (the job's next wait returns at once).</summary>
    public bool IsWoken => _woken.CurrentCount > 0;

    public Task WaitAsync(CancellationToken cancellationToken) => _woken.WaitAsync(cancellationToken);

    public void Dispose()
    {
        _woken.Dispose();
        GC.SuppressFinalize(this);
    }
}
