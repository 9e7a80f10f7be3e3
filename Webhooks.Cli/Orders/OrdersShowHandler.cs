using Microsoft.Extensions.Options;
using Webhooks.Cli.Output;
using Webhooks.Infrastructure.Payments;
using Webhooks.Infrastructure.Reconciliation;

namespace Webhooks.Cli.Orders;

/// <summary>
/// <c>orders show &lt;order-id&gt;</c>: the order's story. Its status and amounts (formatted by the currency's
/// exponent), its dispute, every stored event that names it (directly or through its payment intent) with
/// its state and where it came from, the alerts sent about it and, while it is pending, its diagnosis.
/// <c>--json</c> has the contract's fields (amounts in minor units).
/// </summary>
internal sealed class OrdersShowHandler(OrderStoryTable stories, CliOutput output, TimeProvider timeProvider, IOptions<ReconciliationOptions> reconciliation)
{
    public async Task<int> RunAsync(string orderId, bool json, CancellationToken cancellationToken)
    {
        var story = await stories.ReadAsync(orderId, reconciliation.Value.Enabled, cancellationToken);
        if (story.Order is null && story.Events.Count == 0)
        {
            throw new CliException(
                $"No order {orderId} is known to the processor, and no stored event names it (check the id, and ConnectionStrings__Postgres).");
        }

        if (json)
        {
            var order = story.Order;
            var dispute = story.Dispute;
            output.Json(new
            {
                OrderId = orderId,
                order?.Status,
                order?.Amount,
                order?.Currency,
                order?.AmountRefunded,
                Dispute = dispute is null ? null : new { dispute.Status, dispute.Amount, dispute.Currency, dispute.Reason, DueBy = dispute.DueByUtc },
                Events = story.Events.Select(e => new { e.Provider, e.EventId, Type = e.EventType, ReceivedAt = e.ReceivedAtUtc, e.State }),
            });
            return CliExitCode.Success;
        }

        Summary(orderId, story).Write(output.Console);
        output.Line("");
        Events(story).Write(output.Console);
        if (story.Alerts.Count > 0)
        {
            output.Line("");
            Alerts(story).Write(output.Console);
        }

        return CliExitCode.Success;
    }

    private CliTable Summary(string orderId, OrderStory story)
    {
        var table = new CliTable(CliColumn.Id("Field"), new CliColumn("Value", Rank: 0, MinWidth: 40));
        table.AddRow("Order id", orderId);
        var order = story.Order;
        if (order is null)
        {
            table.AddRow("Status", "not known to the processor yet: its events are stored and not processed");
        }
        else
        {
            var pending = order.PendingSince is { } since
                ? $", for {Durations.Describe(timeProvider.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)))}"
                : "";
            table.AddRow("Status", $"{order.Status}{pending} (set by {order.LastProvider}/{order.LastEventId}, {order.LastEventType})");
            table.AddRow("Amount", order.Amount is { } amount ? MinorUnits.Format(amount, order.Currency) : "not known yet");
            table.AddRow("Refunded", MinorUnits.Format(order.AmountRefunded, order.Currency ?? story.Dispute?.Currency));
            table.AddRow("Updated", Cells.Time(new DateTimeOffset(DateTime.SpecifyKind(order.UpdatedAt, DateTimeKind.Utc))));
        }

        table.AddRow("Dispute", story.Dispute is { } d
            ? $"{d.Status}, {(d.Amount is { } disputed ? MinorUnits.Format(disputed, d.Currency) : "amount unknown")}, reason {d.Reason ?? "-"}"
              + (d.DueByUtc is { } due ? $", evidence due {Cells.Time(due)}" : "")
            : "none");
        if (story.Diagnosis is { } diagnosis)
        {
            table.AddRow("Diagnosis", diagnosis.Sentence);
        }

        return table;
    }

    private static CliTable Events(OrderStory story)
    {
        var table = new CliTable(
            new CliColumn("Received", Rank: 2, MinWidth: 20),
            CliColumn.Id("Event id"),
            new CliColumn("Type", Rank: 1, MinWidth: 16),
            new CliColumn("State", Rank: 0, MinWidth: 13),
            new CliColumn("From", Rank: 3, MinWidth: 7),
            new CliColumn("Provider", Rank: 5, MinWidth: 6),
            new CliColumn("Detail", Rank: 4, MinWidth: 20));
        foreach (var e in story.Events)
        {
            table.AddRow(
                Cells.Time(e.ReceivedAtUtc),
                e.EventId,
                e.EventType,
                e.IsQueued ? "waiting (queued)" : e.State,
                e.IsReconciled ? "gateway API" : "webhook",
                e.Provider,
                e.IsDeadLettered ? $"./webhooks dlq replay {e.DeadLetterMessageId:D}" : e.Detail);
        }

        table.Caption = story.Events.Count == 0 ? "no stored event names it" : $"{Counts.Events(story.Events.Count)} that name it, oldest first";
        return table;
    }

    private static CliTable Alerts(OrderStory story)
    {
        var table = new CliTable(
            new CliColumn("Sent", Rank: 1, MinWidth: 20), new CliColumn("Alert", Rank: 0, MinWidth: 12), new CliColumn("About", Rank: 0, MinWidth: 30));
        foreach (var alert in story.Alerts)
        {
            table.AddRow(Cells.Time(alert.SentAtUtc), alert.Kind, alert.About);
        }

        table.Caption = $"{Counts.Of(story.Alerts.Count, "alert")} sent about it";
        return table;
    }
}
