namespace Webhooks.Processor.Disputes;

/// <summary>
/// Wakes the <see cref="DisputeAlertDispatcher"/> when a commit recorded a dispute alert, so that it is
/// posted at once instead of on the next round. Wakes while the dispatcher is busy collapse into one.
/// </summary>
public sealed class DisputeAlertSignal : IDisposable
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
            // Already woken and not yet awake: one round takes every due alert.
        }
    }

    /// <summary>Woken and not yet awake (the next wait returns at once).</summary>
    public bool IsWoken => _woken.CurrentCount > 0;

    public Task WaitAsync(CancellationToken cancellationToken) => _woken.WaitAsync(cancellationToken);

    public void Dispose() => _woken.Dispose();
}
