using System.Globalization;
using System.Text;
using Webhooks.Processor.Slack;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Processor.StuckOrders;

/// <summary>The Slack posts of the stuck-order monitor: one alert naming many orders, and a short all-clear.</summary>
public static class StuckOrderMessages
{
    public const int MaxOrdersShown = 25;

    public static SlackMessage Alert(IReadOnlyList<StuckOrder> orders, DateTimeOffset now, StuckOrdersOptions options)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(options);
        var threshold = DurationText.Human(options.PendingThreshold);
        var escalations = orders.Count(o => o.IsEscalation);
        var title = orders.Count == 1
            ? $":hourglass_flowing_sand: 1 order has been pending for longer than {threshold}"
            : $":hourglass_flowing_sand: {orders.Count.ToString(CultureInfo.InvariantCulture)} orders have been pending for longer than {threshold}";
        if (escalations > 0)
        {
            title += $" ({escalations.ToString(CultureInfo.InvariantCulture)} still stuck since an earlier alert)";
        }

        var list = new StringBuilder();
        foreach (var order in orders.Take(MaxOrdersShown))
        {
            var waited = DurationText.Human(now - AsUtc(order.PendingSince));
            list.Append(CultureInfo.InvariantCulture, $"• {SlackText.Code(order.OrderId)} pending for {waited} (since {AsUtc(order.PendingSince):yyyy-MM-dd HH:mm} UTC)");
            if (order.IsEscalation)
            {
                list.Append(CultureInfo.InvariantCulture, $", still stuck: alert {order.AlertCount + 1}, first alerted {DurationText.Human(now - AsUtc(order.FirstAlertedAt!.Value))} ago");
            }

            list.Append('\n');
        }

        if (orders.Count > MaxOrdersShown)
        {
            list.Append(CultureInfo.InvariantCulture, $"…and {orders.Count - MaxOrdersShown} more\n");
        }

        var oldest = now - AsUtc(orders.Min(o => o.PendingSince));
        var since = DurationText.HoursCovering(oldest);
        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(list.ToString().TrimEnd())
            .AddContext(
                $"Look further: `./webhooks orders stuck --older-than {DurationText.Compact(options.PendingThreshold)}` · "
                + $"`./webhooks events list --type payment_intent.succeeded --since {since}` · "
                + $"`./webhooks events list --type payment_intent.payment_failed --since {since}` · `./webhooks dlq list`");
    }

    public static SlackMessage AllClear(IReadOnlyList<ResolvedOrder> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var title = orders.Count == 1
            ? ":white_check_mark: 1 stuck order is no longer pending"
            : $":white_check_mark: {orders.Count.ToString(CultureInfo.InvariantCulture)} stuck orders are no longer pending";
        var list = new StringBuilder();
        foreach (var order in orders.Take(MaxOrdersShown))
        {
            list.Append(CultureInfo.InvariantCulture, $"• {SlackText.Code(order.OrderId)} is now {SlackText.Escape(order.Status)}\n");
        }

        if (orders.Count > MaxOrdersShown)
        {
            list.Append(CultureInfo.InvariantCulture, $"…and {orders.Count - MaxOrdersShown} more\n");
        }

        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(list.ToString().TrimEnd());
    }

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
