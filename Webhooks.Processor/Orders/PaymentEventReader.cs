using System.Collections.Frozen;
using System.Text.Json;
using Webhooks.Contracts;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.Orders;

/// <summary>
/// Reads a stored event for its effect on an order, as the contract's table says. An event names its
/// order by <c>metadata.order_id</c> (a checkout session also by <c>client_reference_id</c>); a charge
/// or dispute without it names its payment intent, whose order a <c>payment_intent.*</c> event links.
/// Unknown types and readable objects that name neither are ignored; a type of the table whose
/// <c>data.object</c> cannot be read is a <see cref="PermanentEventException"/>.
/// </summary>
public static class PaymentEventReader
{
    /// <summary>Longer ids are not order ids of ours (and would not fit the key's CHECK).</summary>
    public const int MaxOrderIdLength = 200;

    private const string CheckoutSessionCompleted = "checkout.session.completed";
    private const string ChargeRefunded = "charge.refunded";

    // How much an event's amount weighs (EffectVersion): a charge is the money that moved; a succeeded
    // intent is final; the other states of an intent may still change its amount.
    private const int IntentAmountRank = 1;
    private const int SucceededAmountRank = 2;
    private const int ChargeAmountRank = 3;

    private static readonly FrozenDictionary<string, OrderStatus> PaymentIntentEffects = new Dictionary<string, OrderStatus>(StringComparer.Ordinal)
    {
        // Pending is the lowest rank: "created" creates an unknown order and never changes a known one.
        ["payment_intent.created"] = OrderStatus.Pending,
        ["payment_intent.succeeded"] = OrderStatus.Paid,
        ["payment_intent.payment_failed"] = OrderStatus.PaymentFailed,
        ["payment_intent.canceled"] = OrderStatus.Canceled,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> KnownTypes { get; } =
        [.. PaymentIntentEffects.Keys, "charge.succeeded", ChargeRefunded, CheckoutSessionCompleted, .. DisputeReader.Types];

    private static readonly FrozenSet<string> Known = KnownTypes.ToFrozenSet(StringComparer.Ordinal);

    public static OrderEvent Read(PaymentEventReceived message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Provider) || string.IsNullOrEmpty(message.EventId) || message.Payload is null)
        {
            throw new PermanentEventException("The message lacks its provider, event id or payload: it was not published by the receiver's relay.");
        }

        using var document = message.EventType is null ? Parse(message.Payload) : null;
        var type = message.EventType ?? TypeOf(document!.RootElement);

        if (type is null || !Known.Contains(type))
        {
            return Ignored(message, type, type is null ? "the event has no type" : $"event type '{type}' has no effect on orders");
        }

        using var parsed = document is null ? Parse(message.Payload) : null;
        var root = (document ?? parsed)!.RootElement;
        var dataObject = DataObjectOf(root, type);
        // When the gateway made the event: of two snapshots of equal weight, the newer one wins.
        var madeAt = StripeObject.UnixTime(root, "created") ?? message.ReceivedAt;

        var checkoutSession = type.StartsWith("checkout.session.", StringComparison.Ordinal) || StripeObject.Text(dataObject, "object") == "checkout.session";
        var orderId = OrderIdOf(dataObject, checkoutSession);
        if (orderId is { Length: > MaxOrderIdLength })
        {
            return Ignored(message, type, $"the order id is longer than {MaxOrderIdLength} characters");
        }

        if (PaymentIntentEffects.TryGetValue(type, out var intentTarget))
        {
            return orderId is null
                ? Ignored(message, type, "data.object has no order id (metadata.order_id)")
                : Effect(message, type, orderId, intentTarget) with
                {
                    PaymentIntentId = StripeObject.Id(dataObject, "id"),
                    LinksPaymentIntent = StripeObject.Id(dataObject, "id") is not null,
                    Amounts = Amounts(dataObject, type == "payment_intent.succeeded" ? SucceededAmountRank : IntentAmountRank, madeAt, refunded: false),
                };
        }

        if (checkoutSession)
        {
            if (orderId is null)
            {
                return Ignored(message, type, "data.object has no order id (metadata.order_id or client_reference_id)");
            }

            // The table counts a completed checkout as paid only when the money is there; asynchronous
            // payment methods complete the session first and pay later.
            return StripeObject.Text(dataObject, "payment_status") is var paymentStatus && paymentStatus != "paid"
                ? Ignored(message, type, $"checkout.session.completed with payment_status '{paymentStatus ?? "null"}' is not a payment")
                : Effect(message, type, orderId, OrderStatus.Paid);
        }

        var paymentIntent = StripeObject.Id(dataObject, "payment_intent");
        if (orderId is null && paymentIntent is null)
        {
            return Ignored(message, type, "data.object has no order id (metadata.order_id) and names no payment_intent");
        }

        if (DisputeReader.Types.Contains(type))
        {
            return DisputeReader.Read(dataObject, type, madeAt) is { } dispute
                ? Effect(message, type, orderId, null) with { PaymentIntentId = paymentIntent, Dispute = dispute }
                : Ignored(message, type, "the dispute has no id");
        }

        return Effect(message, type, orderId, type == ChargeRefunded ? RefundStatus(dataObject) : OrderStatus.Paid) with
        {
            PaymentIntentId = paymentIntent,
            Amounts = Amounts(dataObject, ChargeAmountRank, madeAt, refunded: true),
        };
    }

    /// <summary>
    /// The contract: refunded when <c>amount_refunded</c> ≥ <c>amount</c>, else partially refunded. A
    /// charge without those integers falls back on its <c>refunded</c> flag, and on the event's name.
    /// </summary>
    private static OrderStatus RefundStatus(JsonElement charge)
    {
        if (StripeObject.Amount(charge, "amount") is { } amount && StripeObject.Amount(charge, "amount_refunded") is { } refunded)
        {
            return refunded >= amount ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
        }

        return StripeObject.Flag(charge, "refunded") == false ? OrderStatus.PartiallyRefunded : OrderStatus.Refunded;
    }

    private static PaymentAmounts? Amounts(JsonElement payment, int rank, DateTimeOffset madeAt, bool refunded)
    {
        var amount = StripeObject.Amount(payment, "amount");
        var currency = StripeObject.Currency(payment, "currency");
        var amountRefunded = refunded ? StripeObject.Amount(payment, "amount_refunded") : null;
        var complete = amount is not null && currency is not null;
        return complete || amountRefunded is not null
            ? new PaymentAmounts(complete ? amount : null, complete ? currency : null, complete ? EffectVersion.Of(rank, madeAt) : null, amountRefunded)
            : null;
    }

    private static JsonDocument Parse(string payload)
    {
        try
        {
            return JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            // Not wrapped: the dead-letter queue's fault headers show the innermost exception, and
            // this message is the one that tells the on-call engineer what is wrong.
            throw new PermanentEventException($"The payload is not valid JSON ({ex.Message}), so the event cannot be applied.");
        }
    }

    private static string? TypeOf(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object ? StringProperty(root, "type") : null;

    private static JsonElement DataObjectOf(JsonElement root, string type)
    {
        if (root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("object", out var dataObject) && dataObject.ValueKind == JsonValueKind.Object)
        {
            return dataObject;
        }

        throw new PermanentEventException($"A '{type}' event must carry a JSON object in data.object; this one does not, so it cannot be applied.");
    }

    private static string? OrderIdOf(JsonElement dataObject, bool checkoutSession)
    {
        if (dataObject.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && NonEmpty(StringProperty(metadata, "order_id")) is { } fromMetadata)
        {
            return fromMetadata;
        }

        return checkoutSession ? NonEmpty(StringProperty(dataObject, "client_reference_id")) : null;
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static OrderEvent Effect(PaymentEventReceived message, string type, string? orderId, OrderStatus? target) =>
        new(message.Provider, message.EventId, type, message.ReceivedAt, orderId, target, null);

    private static OrderEvent Ignored(PaymentEventReceived message, string? type, string reason) =>
        new(message.Provider, message.EventId, type, message.ReceivedAt, null, null, reason);
}
