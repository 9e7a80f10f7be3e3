using Microsoft.Extensions.Options;
using Webhooks.Cli.Configuration;
using Webhooks.Cli.Output;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Cli.Orders;

/// <summary><c>orders stuck</c>: orders pending longer than <c>--older-than</c> (by default <c>StuckOrders__PendingThreshold</c>, as the alert), longest first.</summary>
internal sealed class OrdersStuckHandler(StuckOrdersTable orders, CliOutput output, TimeProvider timeProvider, IOptions<StuckOrdersOptions> options)
{
    public async Task<int> RunAsync(string? olderThan, bool json, CancellationToken cancellationToken)
    {
        var threshold = olderThan is null ? options.Value.PendingThreshold : Durations.ParseSpanOrZero(olderThan, "--older-than");
        var now = timeProvider.GetUtcNow();
        var (rows, total) = await orders.PendingSinceAsync(now - threshold, cancellationToken);
        if (rows.Count < total)
        {
            output.Note($"Only the {Cells.Number(rows.Count)} longest pending of {Cells.Number(total)} orders are listed.");
        }

        if (json)
        {
            output.Json(rows.Select(r => new StuckOrder(r.OrderId, r.Status, r.PendingSinceUtc)));
            return CliExitCode.Success;
        }

        if (rows.Count == 0)
        {
            output.Line($"No order has been pending longer than {Durations.Describe(threshold)}.");
            return CliExitCode.Success;
        }

        var table = new CliTable(
            CliColumn.Id("Order id"),
            new CliColumn("Status", Rank: 4, MinWidth: 7),
            new CliColumn("Pending since", Rank: 2),
            new CliColumn("Pending for", Rank: 1, MinWidth: 7),
            new CliColumn("Last event", Rank: 3, MinWidth: 20));
        foreach (var row in rows)
        {
            table.AddRow(
                row.OrderId,
                row.Status,
                Cells.Time(row.PendingSinceUtc),
                Durations.Describe(now - row.PendingSinceUtc),
                row.LastEventId is null ? null : $"{row.LastProvider}/{row.LastEventId} ({row.LastEventType})");
        }

        var shown = rows.Count < total ? $"{rows.Count} of {total}" : $"{total}";
        table.Caption = $"{shown} {(total == 1 ? "order" : "orders")} pending longer than {Durations.Describe(threshold)}, longest first";
        table.Write(output.Console);
        return CliExitCode.Success;
    }
}
