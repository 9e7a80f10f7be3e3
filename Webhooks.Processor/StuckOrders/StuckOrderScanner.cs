using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Processor.Database;
using Webhooks.Processor.Slack;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// One scan for stuck orders, under an advisory lock so that of several processors one alerts per
/// round. Alert state is written in the same transaction, and only for posts Slack took: an
/// undelivered alert stays due, a delivered one is not repeated (a restart included) until the
/// escalation interval has passed. Events waiting longer than the threshold for their payment intent's
/// order are reported in a post of their own, each once.
/// </summary>
public sealed partial class StuckOrderScanner(
    NpgsqlDataSource dataSource,
    IAlertChannel alerts,
    TimeProvider timeProvider,
    IOptions<StuckOrdersOptions> options,
    ILogger<StuckOrderScanner> logger)
{
    // One post's worth; more are picked up by the next scans.
    private const int MaxOrdersPerScan = 1000;

    public async Task<StuckOrderScan> ScanOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TransactionLock.TryTakeAsync(connection, transaction, "stuck-orders", cancellationToken))
        {
            return StuckOrderScan.SkippedScan;
        }

        var due = await StuckOrderAlertsTable.DueAsync(connection, transaction, now - settings.PendingThreshold, now - settings.EscalationInterval, MaxOrdersPerScan, cancellationToken);
        var resolved = await StuckOrderAlertsTable.ResolvedAsync(connection, transaction, MaxOrdersPerScan, cancellationToken);
        int alerted = 0, escalated = 0, cleared = 0, undelivered = 0;

        if (due.Count > 0)
        {
            if (await alerts.PostAsync(StuckOrderMessages.Alert(due, now, settings), cancellationToken))
            {
                await StuckOrderAlertsTable.RecordAlertsAsync(connection, transaction, due.Select(o => o.OrderId), now, CancellationToken.None);
                escalated = due.Count(o => o.IsEscalation);
                alerted = due.Count - escalated;
            }
            else
            {
                undelivered += due.Count;
            }
        }

        if (resolved.Count > 0)
        {
            if (await alerts.PostAsync(StuckOrderMessages.AllClear(resolved), cancellationToken))
            {
                await StuckOrderAlertsTable.ForgetAsync(connection, transaction, resolved.Select(o => o.OrderId), CancellationToken.None);
                cleared = resolved.Count;
            }
            else
            {
                undelivered += resolved.Count;
            }
        }

        var unlinked = await UnlinkedEventsTable.DueAsync(connection, transaction, now - settings.PendingThreshold, MaxOrdersPerScan, cancellationToken);
        var reported = 0;
        if (unlinked.Count > 0)
        {
            if (await alerts.PostAsync(UnlinkedEventMessages.Alert(unlinked, now, settings), cancellationToken))
            {
                await UnlinkedEventsTable.MarkAlertedAsync(connection, transaction, unlinked, now, CancellationToken.None);
                reported = unlinked.Count;
            }
            else
            {
                undelivered += unlinked.Count;
            }
        }

        await transaction.CommitAsync(CancellationToken.None);
        var scan = new StuckOrderScan(false, alerted, escalated, cleared, undelivered) { Unlinked = reported };
        if (due.Count + resolved.Count + unlinked.Count > 0)
        {
            LogScan(scan.Alerted, scan.Escalated, scan.Cleared, scan.Unlinked, scan.Undelivered);
        }

        return scan;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stuck-order scan: {Alerted} newly stuck, {Escalated} escalated, {Cleared} all-clear, {Unlinked} unlinked events, "
            + "{Undelivered} not delivered (due again next scan)")]
    private partial void LogScan(int alerted, int escalated, int cleared, int unlinked, int undelivered);
}
