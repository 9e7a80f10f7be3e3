using Microsoft.Extensions.Options;

namespace Webhooks.Processor.Retention;

/// <summary>Runs <see cref="EventRetention"/> every <c>Retention__Interval</c> on the injected clock, when <c>Retention__Enabled</c>.</summary>
public sealed partial class EventRetentionJob(
    EventRetention retention,
    TimeProvider timeProvider,
    IOptions<RetentionOptions> options,
    ILogger<EventRetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        LogEnabled(settings.OlderThan, settings.Interval, settings.DryRun);
        using var timer = new PeriodicTimer(settings.Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await retention.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Each batch commits on its own: what was deleted stays deleted, the rest waits for the next run.
                    LogRunFailed(ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention enabled: events older than {OlderThan}, every {Interval}, dry run {DryRun}")]
    private partial void LogEnabled(TimeSpan olderThan, TimeSpan interval, bool dryRun);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run failed ({ExceptionType}: {Reason}); trying again next interval")]
    private partial void LogRunFailed(string exceptionType, string reason);
}
