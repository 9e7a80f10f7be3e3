using System.CommandLine;
using Webhooks.Cli.Orders;

namespace Webhooks.Cli.Commands;

/// <summary><c>orders stuck</c>: the processor's view of orders.</summary>
internal static class OrdersCommand
{
    public static Command Create(CliRun run) => new("orders", "Orders as the processor keeps them.")
    {
        Stuck(run),
    };

    private static Command Stuck(CliRun run)
    {
        var olderThan = new Option<string?>("--older-than")
        {
            Description = "Pending longer than this (15m, 1h, 00:15:00; 0s: every pending order); default StuckOrders__PendingThreshold, as the stuck-order alert.",
            HelpName = "D",
        };
        var json = CommonOptions.Json();
        var command = new Command("stuck", "List orders pending too long, longest first: the orders the stuck-order alert names.") { olderThan, json };
        command.SetAction((parse, ct) => run.Get<OrdersStuckHandler>().RunAsync(parse.GetValue(olderThan), parse.GetValue(json), ct));
        return command;
    }
}
