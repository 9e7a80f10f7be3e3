using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Infrastructure.Hosting;

/// <summary>
/// The one periodic loop of the services: runs <see cref="RunOnceAsync"/> every <see cref="Interval"/>
/// on <see cref="Clock"/> (a fake one in tests), right away at the start when <see cref="RunAtStart"/>,
/// and at once when woken (<see cref="Wake"/>, or its <see cref="WakeSource"/> from elsewhere: an
/// alert that must not wait for the next round). A round that fails is logged in one line and the
/// next round comes as usual: the work it had waits in its table or queue, never in memory.
/// </summary>
/// <remarks>
/// A BackgroundService, unlike the owners of a <see cref="Batching.GroupCommitter{TItem, TResult}"/>:
/// nobody waits on a round, so a round that never runs because the host stopped right after starting
/// loses nothing. The clock and the logger are abstract rather than constructor parameters so that a
/// job's primary constructor keeps them for its own use.
/// </remarks>
public abstract partial class PeriodicJob : BackgroundService
{
    private JobWake? _ownWake;

    /// <summary>Time between two rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the log names when a round fails, e.g. "Stuck-order scan".</summary>
    protected abstract string JobName { get; }

    protected abstract TimeProvider Clock { get; }

    protected abstract ILogger Logger { get; }

    /// <summary>Whether the first round runs at the start rather than one interval later.</summary>
    protected virtual bool RunAtStart => false;

    /// <summary>Whether the job runs at all (a job switched off by a setting never starts its loop).</summary>
    protected virtual bool IsEnabled => true;

    /// <summary>A wake that other components hold (from the container); null: only <see cref="Wake"/> wakes the job.</summary>
    protected virtual JobWake? WakeSource => null;

    private JobWake Waker => WakeSource ?? LazyInitializer.EnsureInitialized(ref _ownWake);

    /// <summary>Runs a round now rather than at the next tick (a round already running is followed by one more).</summary>
    public void Wake() => Waker.Wake();

    /// <summary>One round of the job.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Called once when the loop starts, its timer running (e.g. to log the job's settings).</summary>
    protected virtual void OnStarted()
    {
    }

    /// <summary>Called when a round failed, after the failure was logged (e.g. to mark a gauge unreadable).</summary>
    protected virtual void OnRoundFailed(Exception exception)
    {
    }

    public override void Dispose()
    {
        _ownWake?.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, Clock);
        OnStarted();
        var tick = RunAtStart ? Task.FromResult(true) : timer.WaitForNextTickAsync(stoppingToken).AsTask();
        // Both waits stay pending across rounds: a wake while a round runs is never lost.
        var wake = Waker.WaitAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var fired = await Task.WhenAny(tick, wake);
                if (fired == tick)
                {
                    if (!await tick)
                    {
                        return;
                    }

                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    await wake;
                    wake = Waker.WaitAsync(stoppingToken);
                }

                await RoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            LogRoundFailed(Logger, JobName, ex.GetType().Name, ex.Message, Interval);
            OnRoundFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed ({ExceptionType}: {Reason}); trying again in {Interval}")]
    private static partial void LogRoundFailed(ILogger logger, string job, string exceptionType, string reason, TimeSpan interval);
}
