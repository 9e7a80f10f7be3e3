using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Infrastructure.Hosting;

/// <summary>
/// The one periodic loop of the services: runs <see cref="RunOnceAsync"/> every <see cref="Interval"/>
/// on the injected clock (a fake one in tests), right away at the start when <see cref="RunAtStart"/>,
/// and at once when <see cref="Wake"/> is called (an alert that must not wait for the next round). A
/// round that fails is logged in one line and the next round comes as usual: the work it had waits in
/// its table or queue, never in memory.
/// </summary>
/// <remarks>
/// A BackgroundService, unlike <see cref="Batching.GroupCommitter{TItem, TResult}"/>'s owners: nobody
/// waits on a round, so a round that never runs because the host stopped right after starting loses nothing.
/// </remarks>
public abstract partial class PeriodicJob(TimeProvider clock, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Time between two rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether the first round runs at the start rather than one interval later.</summary>
    protected virtual bool RunAtStart => false;

    /// <summary>What the log names when a round fails, e.g. "Stuck-order scan".</summary>
    protected abstract string JobName { get; }

    /// <summary>Runs a round now rather than at the next tick (a round already running is followed by one more).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending: one round serves both.
        }
    }

    /// <summary>One round of the job.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Called when a round failed, after the failure was logged (e.g. to mark a gauge unreadable).</summary>
    protected virtual void OnRoundFailed(Exception exception)
    {
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        var tick = RunAtStart ? Task.FromResult(true) : timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var wake = _wake.WaitAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var woken = await Task.WhenAny(tick, wake);
                if (woken == tick)
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
                    wake = _wake.WaitAsync(stoppingToken);
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
            LogRoundFailed(JobName, ex.GetType().Name, ex.Message, Interval);
            OnRoundFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Job} failed ({ExceptionType}: {Reason}); trying again in {Interval}")]
    private partial void LogRoundFailed(string job, string exceptionType, string reason, TimeSpan interval);
}
