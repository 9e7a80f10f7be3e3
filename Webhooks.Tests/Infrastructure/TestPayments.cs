using System.Text.Json.Nodes;
using Webhooks.Contracts;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// <see cref="PaymentEventReceived"/> messages as the relay publishes them, with payloads built from
/// Stripe's own fixtures: the event envelope with the right object under <c>data.object</c>.
/// </summary>
public static class TestPayments
{
    public static string NewOrderId() => $"order_test_{Guid.NewGuid():N}";

    /// <summary>An event of <paramref name="type"/> for <paramref name="orderId"/> (in <c>metadata.order_id</c>, or not at all when null).</summary>
    public static PaymentEventReceived Event(
        string type, string? orderId, DateTimeOffset? receivedAt = null, string? eventId = null, Action<JsonObject>? edit = null)
    {
        var dataObject = ObjectFor(type);
        if (orderId is not null)
        {
            dataObject["metadata"] = new JsonObject { ["order_id"] = orderId };
        }

        edit?.Invoke(dataObject);
        return WithDataObject(type, dataObject, receivedAt, eventId);
    }

    /// <summary>An event whose <c>data.object</c> is whatever JSON is given (e.g. not an object at all).</summary>
    public static PaymentEventReceived WithDataObject(string type, JsonNode? dataObject, DateTimeOffset? receivedAt = null, string? eventId = null)
    {
        var id = eventId ?? TestEvents.NewEventId();
        var envelope = Fixture("event").AsObject();
        envelope["id"] = id;
        envelope["type"] = type;
        envelope["data"] = new JsonObject { ["object"] = dataObject };
        return Message(id, type, envelope.ToJsonString(), receivedAt);
    }

    public static PaymentEventReceived Message(string eventId, string? type, string payload, DateTimeOffset? receivedAt = null) =>
        new(Random.Shared.NextInt64(1, long.MaxValue), "stripe", eventId, type, receivedAt ?? TimeProvider.System.GetUtcNow(), payload);

    /// <summary>The fixture object a real event of this type carries.</summary>
    public static JsonObject ObjectFor(string type) => type switch
    {
        "charge.refunded" => FullyRefunded(Fixture("charge").AsObject()),
        _ when type.StartsWith("charge.dispute.", StringComparison.Ordinal) => Fixture("dispute").AsObject(),
        _ => type.Split('.')[0] switch
        {
            "payment_intent" => Fixture("payment_intent").AsObject(),
            "charge" => Fixture("charge").AsObject(),
            "checkout" => Fixture("checkout_session").AsObject(),
            "refund" => Fixture("refund").AsObject(),
            _ => Fixture("payment_intent").AsObject(),
        },
    };

    /// <summary>The charge fixture shows an unrefunded charge; a <c>charge.refunded</c> event's charge has its refund in it.</summary>
    private static JsonObject FullyRefunded(JsonObject charge)
    {
        charge["amount_refunded"] = charge["amount"]!.GetValue<long>();
        charge["refunded"] = true;
        return charge;
    }

    public static JsonNode Fixture(string name) => Webhooks.Cli.Simulation.StripeFixtures.Named(name);
}
