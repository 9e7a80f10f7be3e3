using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// Scans for stuck orders every <c>StuckOrders__ScanInterval</c> on the injected clock (a fake one in
/// tests). A failed scan recorded nothing, so the next one sees the same orders.
/// </summary>
public sealed class StuckOrderMonitor(
    StuckOrderScanner scanner,
    TimeProvider timeProvider,
    IOptions<StuckOrdersOptions> options,
    ILogger<StuckOrderMonitor> logger) : PeriodicJob
{
    protected override TimeSpan Interval => options.Value.ScanInterval;

    protected override string JobName => "Stuck-order scan";

    protected override TimeProvider Clock => timeProvider;

    protected override ILogger Logger => logger;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => scanner.ScanOnceAsync(cancellationToken);
}
