using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Cli.Output;
using Webhooks.Infrastructure.Orders;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Cli.Orders;

/// <summary>
/// <c>orders stuck</c>: orders pending longer than <c>--older-than</c> (by default <c>StuckOrders__PendingThreshold</c>,
/// as the alert), longest first, each with its diagnosis: the processor's own query (<see cref="StuckOrderQuery"/>).
/// Orders whose event only waits to be processed are listed too (diagnosis "queued"); the alert leaves them out.
/// </summary>
internal sealed class OrdersStuckHandler(
    NpgsqlDataSource dataSource,
    CliOutput output,
    TimeProvider timeProvider,
    IOptions<StuckOrdersOptions> options,
    IOptions<ReconciliationOptions> reconciliation)
{
    // A screenful is what on-call can act on; the count says how many more there are.
    public const int MaxRows = 1000;

    public async Task<int> RunAsync(string? olderThan, bool json, CancellationToken cancellationToken)
    {
        var threshold = olderThan is null ? options.Value.PendingThreshold : Durations.ParseSpanOrZero(olderThan, "--older-than");
        var now = timeProvider.GetUtcNow();
        var (rows, total) = await OrderTables.ReadAsync(dataSource, async connection =>
        {
            var pending = await StuckOrderQuery.PendingAsync(connection, null, now - threshold, null, MaxRows, cancellationToken);
            var count = pending.Count < MaxRows ? pending.Count : await StuckOrderQuery.CountAsync(connection, now - threshold, cancellationToken);
            return (await StuckOrderQuery.DiagnoseAsync(connection, null, pending, reconciliation.Value.Enabled, cancellationToken), count);
        }, cancellationToken);
        if (rows.Count < total)
        {
            output.Note($"Only the {Cells.Number(rows.Count)} longest pending of {Cells.Number(total)} orders are listed.");
        }

        if (json)
        {
            output.Json(rows.Select(r => new { r.OrderId, r.Status, PendingSince = r.PendingSinceUtc, Diagnosis = r.Diagnosis!.Sentence }));
            return CliExitCode.Success;
        }

        if (rows.Count == 0)
        {
            output.Line($"No order has been pending longer than {Durations.Describe(threshold)}.");
            return CliExitCode.Success;
        }

        var table = new CliTable(
            CliColumn.Id("Order id"),
            new CliColumn("Pending for", Rank: 1, MinWidth: 7),
            new CliColumn("Diagnosis", Rank: 0, MinWidth: 30),
            new CliColumn("Pending since", Rank: 3),
            new CliColumn("Status", Rank: 5, MinWidth: 7),
            new CliColumn("Last event", Rank: 4, MinWidth: 20));
        foreach (var row in rows)
        {
            table.AddRow(
                row.OrderId,
                Durations.Describe(now - row.PendingSinceUtc),
                row.Diagnosis!.Sentence,
                Cells.Time(row.PendingSinceUtc),
                row.Status,
                row.LastEventId is null ? null : $"{row.LastProvider}/{row.LastEventId} ({row.LastEventType})");
        }

        var shown = rows.Count < total ? $"{rows.Count} of {total}" : $"{total}";
        var queued = rows.Count(r => r.Diagnosis!.AwaitsProcessing);
        table.Caption = $"{shown} {(total == 1 ? "order" : "orders")} pending longer than {Durations.Describe(threshold)}, longest first"
            + (queued > 0 ? $"; {queued} only wait for the processor (not alerted)" : "");
        table.Write(output.Console);
        return CliExitCode.Success;
    }
}
