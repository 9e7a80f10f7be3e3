using System.Globalization;
using System.Text;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Infrastructure.Storage;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.Reconciliation;

/// <summary>
/// The post after a reconciliation pass stored events the gateway never delivered: the incident this
/// service exists for, already healed. Which events, when the gateway made them, and the order each names.
/// </summary>
public static class RecoveredEventsMessages
{
    public const int MaxEventsShown = 25;

    public static SlackMessage Recovered(ReconcileReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var count = report.Events.Count;
        var title = count == 1
            ? ":arrows_counterclockwise: Recovered from the gateway: 1 event Stripe did not deliver was stored by reconciliation"
            : $":arrows_counterclockwise: Recovered from the gateway: {count.ToString(CultureInfo.InvariantCulture)} events Stripe did not deliver "
              + "were stored by reconciliation";
        var list = new StringBuilder();
        foreach (var e in report.Events.Take(MaxEventsShown))
        {
            var (orderRef, paymentIntentRef) = EventReferences.Read(Encoding.UTF8.GetBytes(e.RawJson));
            var names = orderRef is not null ? $", order {SlackText.Code(orderRef)}"
                : paymentIntentRef is not null ? $", payment intent {SlackText.Code(paymentIntentRef)}"
                : "";
            list.Append(CultureInfo.InvariantCulture,
                $"• {SlackText.Code(e.Id)} ({SlackText.Escape(e.Type ?? "no type")}, made {e.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC{names})\n");
        }

        if (count > MaxEventsShown)
        {
            list.Append(CultureInfo.InvariantCulture, $"…and {count - MaxEventsShown} more\n");
        }

        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(list.ToString().TrimEnd())
            .AddContext(
                $"Stored at {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC through the outbox; the processor applies each once. "
                + "`./webhooks orders show <order-id>` tells an order's story · `./webhooks events list --since 1h`");
    }
}
