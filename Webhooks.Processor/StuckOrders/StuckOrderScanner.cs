using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Orders;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Database;
using Webhooks.Processor.Slack;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// One scan for stuck orders, under an advisory lock so that of several processors one alerts per
/// round. Each stuck order is diagnosed (<see cref="StuckOrderQuery"/>, the query <c>orders stuck</c> and
/// <c>orders show</c> use too): with reconciliation on, the gateway is asked about the payment intents of
/// orders the store cannot explain, and an order it calls paid wakes the next reconciliation pass; an
/// order whose event only waits to be processed is not alerted, as the backlog alert covers it. Alert
/// state is written in the same transaction, and only for posts Slack took: an undelivered alert stays
/// due, a delivered one is not repeated (a restart included) until the escalation interval has passed.
/// Events waiting longer than the threshold for their payment intent's order are reported in a post of
/// their own, each once.
/// </summary>
public sealed partial class StuckOrderScanner(
    NpgsqlDataSource dataSource,
    IAlertChannel alerts,
    PaymentIntentChecks gateway,
    ReconciliationWake reconciliationWake,
    OldestUnprocessedEvent oldestUnprocessed,
    TimeProvider timeProvider,
    IOptions<StuckOrdersOptions> options,
    IOptions<ReconciliationOptions> reconciliation,
    ILogger<StuckOrderScanner> logger)
{
    // One post's worth; more are picked up by the next scans.
    private const int MaxOrdersPerScan = 1000;

    // Payment intents asked about per scan: each is one API call, and the next scan asks about the rest.
    private const int MaxGatewayChecksPerScan = 25;

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

        var pending = await StuckOrderQuery.PendingAsync(
            connection, transaction, now - settings.PendingThreshold, now - settings.EscalationInterval, MaxOrdersPerScan, cancellationToken);
        var diagnosed = await StuckOrderQuery.DiagnoseAsync(connection, transaction, pending, gateway.IsEnabled, cancellationToken);
        // The gateway is asked only about orders the store cannot explain (nothing queued or dead-lettered).
        var unexplained = diagnosed.Where(o => o.Diagnosis!.Kind is not (DiagnosisKind.Queued or DiagnosisKind.DeadLettered) && !o.Diagnosis.AwaitsProcessing)
            .Select(o => o.OrderId).ToList();
        if (await gateway.CheckAsync(connection, transaction, unexplained, reconciliation.Value.Interval, MaxGatewayChecksPerScan, cancellationToken) > 0)
        {
            diagnosed = await StuckOrderQuery.DiagnoseAsync(connection, transaction, pending, gateway.IsEnabled, cancellationToken);
        }

        if (diagnosed.Any(o => o.Diagnosis!.Kind == DiagnosisKind.PaidNotDelivered))
        {
            // The gateway says paid and no event says so: the next reconciliation pass should not wait for its interval.
            reconciliationWake.Wake();
        }

        var due = diagnosed.Where(o => o.Diagnosis!.IsAlerted).ToList();
        var resolved = await StuckOrderAlertsTable.ResolvedAsync(connection, transaction, MaxOrdersPerScan, cancellationToken);
        int alerted = 0, escalated = 0, cleared = 0, undelivered = 0;

        if (due.Count > 0)
        {
            if (await alerts.PostAsync(StuckOrderMessages.Alert(due, now, settings), cancellationToken))
            {
                await StuckOrderAlertsTable.RecordAlertsAsync(connection, transaction, due.Select(o => o.OrderId), now, CancellationToken.None);
                await StuckOrderAlertsTable.LogAsync(
                    connection, transaction, [.. due.Select(o => (o.OrderId, o.IsEscalation ? "still stuck" : "stuck", (string?)o.Diagnosis!.Sentence))], now,
                    CancellationToken.None);
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
                await StuckOrderAlertsTable.LogAsync(
                    connection,
                    transaction,
                    [.. resolved.Select(o => (o.OrderId, "all-clear", (string?)StuckOrderMessages.Resolution(o)))],
                    now,
                    CancellationToken.None);
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

        var backlog = await BacklogAsync(connection, transaction, now, settings, cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
        var scan = new StuckOrderScan(false, alerted, escalated, cleared, undelivered)
        {
            Unlinked = reported,
            Queued = diagnosed.Count - due.Count,
            Backlog = backlog,
        };
        if (due.Count + resolved.Count + unlinked.Count > 0 || backlog is not null)
        {
            LogScan(scan.Alerted, scan.Escalated, scan.Cleared, scan.Queued, scan.Unlinked, scan.Backlog ?? "none", scan.Undelivered);
        }

        return scan;
    }

    /// <summary>Alerts a backlog older than the threshold (once, again after the escalation interval) and clears it when it is gone.</summary>
    private async Task<string?> BacklogAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DateTimeOffset now, StuckOrdersOptions settings, CancellationToken cancellationToken)
    {
        TimeSpan? age;
        await using (var walk = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            age = await oldestUnprocessed.AgeAsync(walk, cancellationToken);
        }

        if (age is null)
        {
            // The first walk of a large store is not through yet: nothing is known, nothing is said.
            return null;
        }

        var open = await BacklogAlertsTable.OpenAsync(connection, transaction, cancellationToken);
        if (age.Value > settings.PendingThreshold)
        {
            if (open is { } alerted && alerted.LastAlertedAt > (now - settings.EscalationInterval).UtcDateTime)
            {
                return null;
            }

            var oldest = now - age.Value;
            var backlog = new BacklogAlert(oldest, await BacklogAlertsTable.SizeAsync(connection, transaction, oldest, cancellationToken));
            if (!await alerts.PostAsync(BacklogMessages.Alert(backlog, now, settings, again: open is not null), cancellationToken))
            {
                return null;
            }

            await BacklogAlertsTable.RecordAsync(connection, transaction, backlog, now, CancellationToken.None);
            return open is null ? "alerted" : "still";
        }

        if (open is { } cleared && await alerts.PostAsync(BacklogMessages.AllClear(cleared.FirstAlertedAt, settings), cancellationToken))
        {
            await BacklogAlertsTable.ClearAsync(connection, transaction, CancellationToken.None);
            return "cleared";
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Stuck-order scan: {Alerted} newly stuck, {Escalated} escalated, {Cleared} all-clear, {Queued} not alerted (an event waits to be processed), "
            + "{Unlinked} unlinked events, backlog alert {Backlog}, {Undelivered} not delivered (due again next scan)")]
    private partial void LogScan(int alerted, int escalated, int cleared, int queued, int unlinked, string backlog, int undelivered);
}
