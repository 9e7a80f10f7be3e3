using System.CommandLine;
using Webhooks.Cli.Orders;

namespace Webhooks.Cli.Commands;

/// <summary><c>orders stuck|show</c>: the processor's view of orders.</summary>
internal static class OrdersCommand
{
    public static Command Create(CliRun run) => new("orders", "Orders as the processor keeps them.")
    {
        Stuck(run),
        Show(run),
    };

    private static Command Show(CliRun run)
    {
        var orderId = new Argument<string>("order-id") { Description = "The order's id, as the shop gave it in metadata.order_id." };
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON only: orderId, status, amount, currency, amountRefunded (minor units), dispute (null or status, amount, currency, "
                + "reason, dueBy) and events (provider, eventId, type, receivedAt, state).",
        };
        var command = new Command(
            "show",
            "Show one order's story: status, amounts, dispute, every stored event that names it (directly or through its payment intent) with its "
            + "state (applied, unchanged, ignored, waiting, dead-lettered) and where it came from, the alerts sent about it, and, while it is "
            + "pending, its diagnosis.")
        {
            orderId,
            json,
        };
        command.SetAction((parse, ct) => run.Get<OrdersShowHandler>().RunAsync(parse.GetValue(orderId)!, parse.GetValue(json), ct));
        return command;
    }

    private static Command Stuck(CliRun run)
    {
        var olderThan = new Option<string?>("--older-than")
        {
            Description = "Pending longer than this (15m, 1h, 00:15:00; 0s: every pending order); "
                + "default StuckOrders__PendingThreshold, as the stuck-order alert.",
            HelpName = "D",
        };
        var json = CommonOptions.Json();
        var command = new Command(
            "stuck",
            "List orders pending too long, longest first, each with its diagnosis (queued, recovered, dead-lettered with its replay command, "
            + "not paid as the gateway says, or unknown): the stuck-order alert's own query.") { olderThan, json };
        command.SetAction((parse, ct) => run.Get<OrdersStuckHandler>().RunAsync(parse.GetValue(olderThan), parse.GetValue(json), ct));
        return command;
    }
}
