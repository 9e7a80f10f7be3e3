using System.Globalization;

namespace Webhooks.Infrastructure.Orders;

/// <summary>
/// Decides a stuck order's diagnosis from its stored events and the gateway's last answer. The most
/// actionable finding wins: a dead letter (one replay fixes it), then an event still waiting for the
/// processor (not the order's fault), then what the gateway says, then a recovery that did not move it.
/// </summary>
public static class StuckOrderDiagnoser
{
    public static StuckOrderDiagnosis Diagnose(StuckOrder order, IReadOnlyList<OrderEventRecord> events, GatewayAnswer? gateway, bool gatewayAsked)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(events);
        if (events.LastOrDefault(e => e.IsDeadLettered) is { } dead)
        {
            var id = dead.DeadLetterMessageId!.Value.ToString("D");
            var command = $"./webhooks dlq replay {id}";
            return new StuckOrderDiagnosis(
                DiagnosisKind.DeadLettered,
                $"dead-lettered: {Name(dead)} failed{At(dead.DeadLetteredAt)} and waits in the dead-letter queue as message {id}; after a fix: {command}",
                command,
                AwaitsProcessing: false);
        }

        if (events.FirstOrDefault(e => e.IsQueued) is { } queued)
        {
            return queued.IsReconciled
                ? new StuckOrderDiagnosis(
                    DiagnosisKind.Recovered,
                    $"recovered: {Name(queued)} was never delivered; reconciliation took it from the gateway's API at {Time(queued.ReceivedAtUtc)} "
                    + "and it waits to be applied",
                    null,
                    AwaitsProcessing: true)
                : new StuckOrderDiagnosis(
                    DiagnosisKind.Queued,
                    $"queued: {Name(queued)}, stored at {Time(queued.ReceivedAtUtc)}, is not processed yet (processing is behind; see the backlog alert)",
                    null,
                    AwaitsProcessing: true);
        }

        if (gateway is { Status: { } status })
        {
            return status == "succeeded"
                ? PaidNotDelivered(order, gateway, status)
                : new StuckOrderDiagnosis(
                    DiagnosisKind.NotPaid,
                    $"not paid: the gateway says payment intent {gateway.PaymentIntentId} is {status} "
                    + $"(asked at {Time(gateway.CheckedAtUtc)}): {Meaning(status)}",
                    null,
                    AwaitsProcessing: false);
        }

        if (events.LastOrDefault(e => e.IsReconciled) is { } recovered)
        {
            return new StuckOrderDiagnosis(
                DiagnosisKind.Recovered,
                $"recovered: {Name(recovered)} came from the gateway's API at {Time(recovered.ReceivedAtUtc)} ({recovered.State}), "
                + "and the order is still pending",
                null,
                AwaitsProcessing: false);
        }

        var why = gateway is { Failure: { } failure } ? $"the gateway could not be asked about payment intent {gateway.PaymentIntentId}: {failure}"
            : !gatewayAsked ? "the gateway is not asked (reconciliation is off: set Reconciliation__Stripe__ApiKey)"
            : events.Any(e => e.EventType?.StartsWith("payment_intent.", StringComparison.Ordinal) == true)
                ? "the gateway has not been asked yet"
                : "no stored event links it to a payment intent, so the gateway cannot be asked";
        return new StuckOrderDiagnosis(DiagnosisKind.Unknown, $"unknown: nothing for it is queued or dead-lettered, and {why}", null, AwaitsProcessing: false);
    }

    private static StuckOrderDiagnosis PaidNotDelivered(StuckOrder order, GatewayAnswer gateway, string status)
    {
        var hours = Math.Max(1, (int)Math.Ceiling((gateway.CheckedAtUtc - order.PendingSinceUtc).TotalHours) + 1);
        var command = $"./webhooks reconcile --since {hours.ToString(CultureInfo.InvariantCulture)}h";
        return new StuckOrderDiagnosis(
            DiagnosisKind.PaidNotDelivered,
            $"paid, not delivered: the gateway says payment intent {gateway.PaymentIntentId} is {status} (asked at {Time(gateway.CheckedAtUtc)}), "
            + $"but no event that says so is stored; fetch it: {command}",
            command,
            AwaitsProcessing: false);
    }

    /// <summary>What a payment intent's status means for the shop, in Stripe's own terms (its lifecycle of payment intents).</summary>
    private static string Meaning(string status) => status switch
    {
        "requires_payment_method" or "requires_confirmation" or "requires_action" => "the customer has not completed the payment",
        "processing" => "the gateway is still processing the payment (bank debits take days); nothing to fix yet",
        "requires_capture" => "the payment is authorised and waits to be captured by the shop",
        "canceled" => "the payment was canceled at the gateway; the customer has not paid",
        _ => "the payment is not complete",
    };

    private static string Name(OrderEventRecord e) => $"{e.Provider}/{e.EventId} ({e.EventType ?? "no type"})";

    private static string At(DateTime? utc) => utc is { } at ? $" at {Time(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)))}" : "";

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
