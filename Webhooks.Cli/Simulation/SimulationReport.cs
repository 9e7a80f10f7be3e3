using System.Globalization;
using Spectre.Console;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.Simulation;

/// <summary>The summary for people: what was sent and answered, and the status each order should end in.</summary>
internal static class SimulationReport
{
    // Enough to copy into a query; the rest are in --json.
    private const int MaxOrderIdsShown = 25;

    public static void Write(CliOutput output, SimulationSummary summary, IReadOnlyList<SimulatedOrder> orders, int attempts)
    {
        var elapsed = summary.ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        output.Line($"{Counts.Of(summary.Orders, "order")} to {summary.Url} ({summary.Scheme} signatures), seed {summary.Seed}, in {elapsed} s.");

        var deliveries = Cells.Table("Deliveries", "Count", "Meaning");
        deliveries.Columns[1].RightAligned();
        Row(deliveries, "events", summary.Events, "distinct events, built from Stripe's fixtures");
        Row(deliveries, "sent", summary.Sent, $"deliveries, {summary.DuplicatesSent} of them second copies (--duplicates)");
        Row(deliveries, "accepted", summary.Accepted, "answered 200 accepted: stored");
        Row(deliveries, "duplicates", summary.Duplicates, "answered 200 duplicate: the receiver had the event already");
        if (summary.OtherSuccess > 0)
        {
            Row(deliveries, "other 2xx", summary.OtherSuccess, "a 2xx without the receiver's acknowledgement");
        }

        Row(deliveries, "retried", summary.Retried, "needed more than one attempt");
        Row(deliveries, "given up", summary.GivenUp, $"no 2xx after {Counts.Of(attempts, "attempt")}");
        Row(deliveries, "lost on purpose", summary.LostEvents, "success events never sent (--lose)");
        Row(deliveries, "poison", summary.Poison, "data.object is not an object: the processor dead-letters it (--poison)");
        output.Console.Write(deliveries);
        output.Line($"HTTP answers: {string.Join(", ", summary.Answers.Select(a => $"{a.Key} × {a.Value}"))} ({Counts.Of(summary.Requests, "request")}).");

        if (orders.Count == 0)
        {
            return;
        }

        var statuses = Cells.Table("Expected status", "Orders", "Lifecycles");
        statuses.Columns[1].RightAligned();
        foreach (var status in SimulationSummary.Statuses)
        {
            var these = orders.Where(o => o.ExpectedStatus == status).ToList();
            if (these.Count > 0)
            {
                var lifecycles = these.GroupBy(o => o.Lost ? $"{o.Lifecycle.Name}, success lost" : o.Lifecycle.Name)
                    .OrderByDescending(g => g.Count())
                    .Select(g => $"{g.Key} ×{g.Count()}");
                statuses.AddRow(Cells.Of(status), Cells.Of(these.Count), Cells.Of(string.Join("; ", lifecycles)));
            }
        }

        output.Console.Write(statuses);

        var disputed = orders.Where(o => o.Dispute is not null).ToList();
        if (disputed.Count > 0)
        {
            var disputes = Cells.Table("Expected dispute", "Orders", "Events");
            disputes.Columns[1].RightAligned();
            foreach (var story in DisputeStory.All)
            {
                var these = disputed.Count(o => o.Dispute == story);
                if (these > 0)
                {
                    disputes.AddRow(Cells.Of(story.Outcome), Cells.Of(these), Cells.Of(string.Join(" → ", story.Steps)));
                }
            }

            output.Console.Write(disputes);
        }

        if (summary.PendingOrderIds.Count > 0)
        {
            var shown = summary.PendingOrderIds.Take(MaxOrderIdsShown);
            var more = summary.PendingOrderIds.Count > MaxOrderIdsShown
                ? $" and {summary.PendingOrderIds.Count - MaxOrderIdsShown} more (--json lists all)"
                : "";
            output.Line($"Left pending by --lose: {string.Join(", ", shown)}{more}.");
        }

        output.Line("Compare with: ./webhooks orders stuck --older-than 0s (the pending orders), and the orders and disputes tables for the rest.");
    }

    private static void Row(Table table, string name, int count, string meaning) =>
        table.AddRow(Cells.Of(name), Cells.Of(count), Cells.Of(meaning));
}
