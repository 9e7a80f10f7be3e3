using System.Globalization;
using System.Text;
using Webhooks.Infrastructure.Payments;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.Disputes;

/// <summary>
/// The Slack posts about disputes, one per kind for any number of them: each dispute with its order,
/// amount and currency, reason, evidence deadline in UTC, and the command that shows the order.
/// </summary>
public static class DisputeAlertMessage
{
    public const int MaxDisputesShown = 25;

    public static SlackMessage Build(string kind, IReadOnlyList<DisputeAlert> alerts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var first = alerts[0];
        var title = (kind, alerts.Count) switch
        {
            (DisputeAlertKind.Opened, 1) =>
                $":rotating_light: Dispute opened on order {first.OrderId}: {Money(first)}, {Reason(first)}, evidence due {Deadline(first)}",
            (DisputeAlertKind.Opened, var n) => $":rotating_light: {Count(n)} disputes opened: answer each before its evidence deadline",
            (DisputeAlertKind.Lost, 1) => $":x: Dispute lost on order {first.OrderId}: {Money(first)} went back to the customer",
            (DisputeAlertKind.Lost, var n) => $":x: {Count(n)} disputes lost: their money went back to the customers",
            (_, 1) => $":alarm_clock: Dispute on order {first.OrderId} still open: evidence due {Deadline(first)} ({Until(first, now)})",
            (_, var n) => $":alarm_clock: {Count(n)} disputes still open with their evidence deadline near",
        };

        var list = new StringBuilder();
        foreach (var alert in alerts.Take(MaxDisputesShown))
        {
            list.Append(CultureInfo.InvariantCulture, $"• Order {SlackText.Code(alert.OrderId)}: *{SlackText.Escape(Money(alert))}*, ");
            list.Append(CultureInfo.InvariantCulture, $"{SlackText.Escape(Reason(alert))}, evidence due by *{SlackText.Escape(Deadline(alert))}* ");
            list.Append(CultureInfo.InvariantCulture, $"({Until(alert, now)}); dispute {SlackText.Code(alert.DisputeId)}");
            if (alert.Status != "open" && kind != DisputeAlertKind.Lost)
            {
                list.Append(CultureInfo.InvariantCulture, $", now closed: {SlackText.Escape(alert.Status)}");
            }

            var orderId = SlackText.Escape(alert.OrderId).Replace("`", "'", StringComparison.Ordinal);
            list.Append(CultureInfo.InvariantCulture, $"\n   Look: `./webhooks orders show {orderId}`\n");
        }

        if (alerts.Count > MaxDisputesShown)
        {
            list.Append(CultureInfo.InvariantCulture, $"…and {alerts.Count - MaxDisputesShown} more\n");
        }

        var advice = kind == DisputeAlertKind.Lost
            ? "A lost dispute is final. Look: `./webhooks orders show <order-id>`"
            : "Submit evidence in the gateway's dashboard before the deadline, or the dispute is lost. Look: `./webhooks orders show <order-id>`";
        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(list.ToString().TrimEnd())
            .AddContext(advice);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Money(DisputeAlert alert) => alert.Amount is { } amount ? MinorUnits.Format(amount, alert.Currency) : "amount unknown";

    private static string Reason(DisputeAlert alert) => $"reason {alert.Reason ?? "unknown"}";

    private static string Deadline(DisputeAlert alert) =>
        alert.DueBy is { } due ? AsUtc(due).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown";

    private static string Until(DisputeAlert alert, DateTimeOffset now)
    {
        if (alert.DueBy is not { } due)
        {
            return "no deadline given";
        }

        var left = AsUtc(due) - now;
        return left >= TimeSpan.Zero ? $"in {DurationText.Human(left)}" : $"passed {DurationText.Human(-left)} ago";
    }

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
