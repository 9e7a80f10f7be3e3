using System.Globalization;
using System.Text;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.StuckOrders;

/// <summary>
/// The Slack post about events that name a payment intent no event has linked to an order, for longer
/// than the stuck-order threshold: their count and age, and where to look.
/// </summary>
public static class UnlinkedEventMessages
{
    public const int MaxEventsShown = 25;

    public static SlackMessage Alert(IReadOnlyList<UnlinkedEvent> events, DateTimeOffset now, StuckOrdersOptions options)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        var threshold = DurationText.Human(options.PendingThreshold);
        var oldest = now - AsUtc(events.Min(e => e.WaitingSince));
        var title = events.Count == 1
            ? $":link: 1 event has waited longer than {threshold} for its payment intent's order (for {DurationText.Human(oldest)})"
            : $":link: {events.Count.ToString(CultureInfo.InvariantCulture)} events have waited longer than {threshold} for their payment intent's order "
              + $"(the oldest for {DurationText.Human(oldest)})";

        var list = new StringBuilder();
        foreach (var e in events.Take(MaxEventsShown))
        {
            list.Append(CultureInfo.InvariantCulture,
                $"• {SlackText.Code($"{e.Provider}/{e.EventId}")} {SlackText.Escape(e.EventType ?? "(no type)")} "
                + $"names payment intent {SlackText.Code(e.PaymentIntentId)}, "
                + $"waiting for {DurationText.Human(now - AsUtc(e.WaitingSince))}\n");
        }

        if (events.Count > MaxEventsShown)
        {
            list.Append(CultureInfo.InvariantCulture, $"…and {events.Count - MaxEventsShown} more\n");
        }

        var since = DurationText.HoursCovering(oldest);
        return new SlackMessage(title)
            .AddSection($"*{SlackText.Escape(title)}*")
            .AddSection(list.ToString().TrimEnd())
            .AddContext(
                "They are applied as soon as a `payment_intent.*` event with the order id arrives. None has: it may be lost or dead-lettered, "
                + "or the payment is not one of the shop's. Look: "
                + $"`./webhooks events list --type payment_intent.created --since {since}` · `./webhooks dlq list` · "
                + "`./webhooks events show <provider> <event-id>`");
    }

    private static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
