using Microsoft.Extensions.Options;
using Spectre.Console;
using Webhooks.Cli.Configuration;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.Orders;

/// <summary><c>orders stuck</c>: orders pending longer than <c>--older-than</c> (by default <c>StuckOrders__PendingThreshold</c>, as the alert), longest first.</summary>
internal sealed class OrdersStuckHandler(StuckOrdersTable orders, CliOutput output, TimeProvider timeProvider, IOptions<StuckOrdersOptions> options)
{
    public async Task<int> RunAsync(string? olderThan, bool json, CancellationToken cancellationToken)
    {
        var threshold = olderThan is null ? options.Value.PendingThreshold : Durations.ParseSpanOrZero(olderThan, "--older-than");
        var now = timeProvider.GetUtcNow();
        var (rows, total) = await orders.PendingSinceAsync(now - threshold, cancellationToken);
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

        var table = Cells.Table("Order id", "Status", "Pending since", "Pending for", "Last event");
        foreach (var row in rows)
        {
            table.AddRow(
                Cells.Of(row.OrderId),
                Cells.Of(row.Status),
                Cells.Of(row.PendingSinceUtc),
                Cells.Of(Durations.Describe(now - row.PendingSinceUtc)),
                Cells.Of(row.LastEventId is null ? null : $"{row.LastProvider}/{row.LastEventId} ({row.LastEventType})"));
        }

        var shown = rows.Count < total ? $"{rows.Count} of {total}" : $"{total}";
        table.Caption(Markup.Escape($"{shown} {(total == 1 ? "order" : "orders")} pending longer than {Durations.Describe(threshold)}, longest first"));
        output.Console.Write(table);
        return CliExitCode.Success;
    }
}
