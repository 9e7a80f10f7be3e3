using Microsoft.Extensions.Options;

namespace Webhooks.Processor.StuckOrders;

/// <summary>Scans for stuck orders every <c>StuckOrders__ScanInterval</c> on the injected clock (a fake one in tests).</summary>
public sealed partial class StuckOrderMonitor(
    StuckOrderScanner scanner,
    TimeProvider timeProvider,
    IOptions<StuckOrdersOptions> options,
    ILogger<StuckOrderMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ScanInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await scanner.ScanOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The database may be away: nothing was recorded, so the next scan sees the same orders.
                    LogScanFailed(ex.GetType().Name, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stuck-order scan failed ({ExceptionType}: {Reason}); trying again next interval")]
    private partial void LogScanFailed(string exceptionType, string reason);
}
