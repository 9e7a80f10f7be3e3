using System.Globalization;
using System.Text;
using Webhooks.Infrastructure.Orders;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// The Slack posts of the stuck-order monitor: one alert naming many orders, each with its diagnosis
/// (and the command that fixes it, when one does), and a short all-clear that says what resolved each.
/// </summary>
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

        var lines = new List<string>();
        foreach (var order in orders.Take(MaxOrdersShown))
        {
            var list = new StringBuilder();
            var waited = DurationText.Human(now - AsUtc(order.PendingSince));
            list.Append(
                CultureInfo.InvariantCulture,
                $"• {SlackText.Code(order.OrderId)} pending for {waited} (since {AsUtc(order.PendingSince):yyyy-MM-dd HH:mm} UTC)");
            if (order.IsEscalation)
            {
                var firstAlerted = DurationText.Human(now - AsUtc(order.FirstAlertedAt!.Value));
                list.Append(CultureInfo.InvariantCulture, $", still stuck: alert {order.AlertCount + 1}, first alerted {firstAlerted} ago");
            }

            if (order.Diagnosis is { } diagnosis)
            {
                list.Append(" — ").Append(Sentence(diagnosis));
            }

            lines.Add(list.ToString());
        }

        if (orders.Count > MaxOrdersShown)
        {
            lines.Add($"…and {(orders.Count - MaxOrdersShown).ToString(CultureInfo.InvariantCulture)} more");
        }

        var oldest = now - AsUtc(orders.Min(o => o.PendingSince));
        var since = DurationText.HoursCovering(oldest);
        var message = new SlackMessage(title).AddSection($"*{SlackText.Escape(title)}*");
        foreach (var section in Sections(lines))
        {
            message.AddSection(section);
        }

        return message
            .AddContext(
                $"Look further: `./webhooks orders show {SlackText.Escape(orders[0].OrderId).Replace("`", "'", StringComparison.Ordinal)}` · "
                + $"`./webhooks orders stuck --older-than {DurationText.Compact(options.PendingThreshold)}` · "
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
            list.Append(CultureInfo.InvariantCulture, $"• {SlackText.Code(order.OrderId)} {SlackText.Escape(Resolution(order))}\n");
        }

        if (orders.Count > MaxOrdersShown)
        {
            list.Append(CultureInfo.InvariantCulture, $"…and {orders.Count - MaxOrdersShown} more\n");
        }

        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(list.ToString().TrimEnd());
    }

    /// <summary>"is now paid", and, when the event that moved it came from the gateway's API, which and when.</summary>
    public static string Resolution(ResolvedOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.RecoveredAt is { } at
            ? $"is now {order.Status}: recovered from the gateway, {order.LastProvider}/{order.LastEventId} ({order.LastEventType}) "
              + $"stored by reconciliation at {AsUtc(at):yyyy-MM-dd HH:mm:ss} UTC"
            : $"is now {order.Status}";
    }

    /// <summary>Lines joined into sections that Slack takes whole (a section holds at most 3000 characters; diagnoses make long lines).</summary>
    private static IEnumerable<string> Sections(IEnumerable<string> lines)
    {
        const int MaxLength = 2900;
        var section = new StringBuilder();
        foreach (var line in lines)
        {
            if (section.Length > 0 && section.Length + line.Length + 1 > MaxLength)
            {
                yield return section.ToString();
                section.Clear();
            }

            section.Append(section.Length > 0 ? "\n" : "").Append(line);
        }

        if (section.Length > 0)
        {
            yield return section.ToString();
        }
    }

    /// <summary>The diagnosis for Slack: escaped, its command as inline code.</summary>
    private static string Sentence(StuckOrderDiagnosis diagnosis)
    {
        var text = SlackText.Escape(diagnosis.Sentence);
        if (diagnosis.Command is { } command)
        {
            var escaped = SlackText.Escape(command);
            text = text.Replace(escaped, SlackText.Code(command), StringComparison.Ordinal);
        }

        return text;
    }

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
