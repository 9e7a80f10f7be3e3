using System.Collections.Frozen;
using System.Text.Json;
using Webhooks.Contracts;
using Webhooks.Processor.Messaging;

namespace Webhooks.Processor.Orders;

/// <summary>
/// Reads a stored event for its effect on an order, as the contract's table says. Unknown types and
/// readable objects without an order id are ignored; a type of the table whose <c>data.object</c>
/// cannot be read is a <see cref="PermanentEventException"/>.
/// </summary>
public static class PaymentEventReader
{
    /// <summary>Longer ids are not order ids of ours (and would not fit the key's CHECK).</summary>
    public const int MaxOrderIdLength = 200;

    private const string CheckoutSessionCompleted = "checkout.session.completed";

    private static readonly FrozenDictionary<string, OrderStatus> Effects = new Dictionary<string, OrderStatus>(StringComparer.Ordinal)
    {
        // Pending is the lowest rank: "created" creates an unknown order and never changes a known one.
        ["payment_intent.created"] = OrderStatus.Pending,
        ["payment_intent.succeeded"] = OrderStatus.Paid,
        ["charge.succeeded"] = OrderStatus.Paid,
        [CheckoutSessionCompleted] = OrderStatus.Paid,
        ["payment_intent.payment_failed"] = OrderStatus.PaymentFailed,
        ["payment_intent.canceled"] = OrderStatus.Canceled,
        ["charge.refunded"] = OrderStatus.Refunded,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> KnownTypes => Effects.Keys;

    public static OrderEvent Read(PaymentEventReceived message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(message.Provider) || string.IsNullOrEmpty(message.EventId) || message.Payload is null)
        {
            throw new PermanentEventException("The message lacks its provider, event id or payload: it was not published by the receiver's relay.");
        }

        using var document = message.EventType is null ? Parse(message.Payload) : null;
        var type = message.EventType ?? TypeOf(document!.RootElement);

        if (type is null || !Effects.TryGetValue(type, out var target))
        {
            return Ignored(message, type, type is null ? "the event has no type" : $"event type '{type}' has no effect on orders");
        }

        using var parsed = document is null ? Parse(message.Payload) : null;
        var root = (document ?? parsed)!.RootElement;
        var dataObject = DataObjectOf(root, type);

        var checkoutSession = type.StartsWith("checkout.session.", StringComparison.Ordinal) || StringProperty(dataObject, "object") == "checkout.session";
        var orderId = OrderIdOf(dataObject, checkoutSession);
        if (orderId is null)
        {
            return Ignored(message, type, checkoutSession
                ? "data.object has no order id (metadata.order_id or client_reference_id)"
                : "data.object has no order id (metadata.order_id)");
        }

        if (orderId.Length > MaxOrderIdLength)
        {
            return Ignored(message, type, $"the order id is longer than {MaxOrderIdLength} characters");
        }

        if (type == CheckoutSessionCompleted && StringProperty(dataObject, "payment_status") is var paymentStatus && paymentStatus != "paid")
        {
            // The table counts a completed checkout as paid only when the money is there; asynchronous
            // payment methods complete the session first and pay later.
            return Ignored(message, type, $"checkout.session.completed with payment_status '{paymentStatus ?? "null"}' is not a payment");
        }

        return new OrderEvent(message.Provider, message.EventId, type, message.ReceivedAt, orderId, target, null);
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

    private static OrderEvent Ignored(PaymentEventReceived message, string? type, string reason) =>
        new(message.Provider, message.EventId, type, message.ReceivedAt, null, null, reason);
}
