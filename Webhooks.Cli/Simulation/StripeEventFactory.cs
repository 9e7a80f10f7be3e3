using System.Text;
using System.Text.Json.Nodes;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Real-shaped Stripe events: the fixture envelope with a fresh <c>id</c>, the <c>type</c> and
/// <c>created</c> set and <c>data.object</c> replaced by the fixture object of that type, changed only
/// where the event says something (status, amounts, ids, <c>metadata.order_id</c>). Every other field
/// of the fixtures, nulls included, is kept: the receiver and processor must cope with all of it.
/// </summary>
internal sealed class StripeEventFactory(TimeProvider timeProvider, string? idField)
{
    public const string Created = "payment_intent.created";
    public const string Succeeded = "payment_intent.succeeded";
    public const string Failed = "payment_intent.payment_failed";
    public const string Canceled = "payment_intent.canceled";
    public const string ChargeSucceeded = "charge.succeeded";
    public const string ChargeRefunded = "charge.refunded";
    public const string CheckoutCompleted = "checkout.session.completed";

    /// <summary>The types whose loss leaves an order pending: the ones that say the money is there.</summary>
    public static IReadOnlySet<string> SuccessTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { Succeeded, ChargeSucceeded, CheckoutCompleted };

    public byte[] Build(string eventId, string type, SimulatedPayment payment) => Envelope(eventId, type, ObjectFor(type, payment));

    /// <summary>An event of a type the processor acts on whose <c>data.object</c> is not an object: it cannot be read, so it is dead-lettered.</summary>
    public byte[] Poison(string eventId) => Envelope(eventId, Succeeded, JsonValue.Create("simulated poison: data.object is not an object"));

    private byte[] Envelope(string eventId, string type, JsonNode? dataObject)
    {
        var envelope = StripeFixtures.Event();
        envelope["id"] = eventId;
        envelope["type"] = type;
        envelope["created"] = Now();
        envelope["data"]!.AsObject()["object"] = dataObject;
        if (idField is not null && idField != "id")
        {
            // An hmac provider may read its idempotency key elsewhere (IdField, e.g. data.id).
            SetPath(envelope, idField, eventId);
        }

        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    private JsonObject ObjectFor(string type, SimulatedPayment payment) => type switch
    {
        Created => PaymentIntent(payment, "requires_payment_method", received: 0),
        Succeeded => Succeed(PaymentIntent(payment, "succeeded", received: payment.Amount), payment),
        Failed => Decline(PaymentIntent(payment, "requires_payment_method", received: 0)),
        Canceled => Cancel(PaymentIntent(payment, "canceled", received: 0)),
        ChargeSucceeded => Charge(payment, refunded: false),
        ChargeRefunded => Charge(payment, refunded: true),
        CheckoutCompleted => CheckoutSession(payment),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "The simulator does not build this event type."),
    };

    private JsonObject PaymentIntent(SimulatedPayment payment, string status, long received)
    {
        var intent = StripeFixtures.PaymentIntent();
        intent["id"] = payment.PaymentIntentId;
        intent["amount"] = payment.Amount;
        intent["amount_received"] = received;
        intent["created"] = Now();
        intent["status"] = status;
        intent["client_secret"] = $"{payment.PaymentIntentId}_secret_simulated";
        intent["metadata"] = Metadata(payment);
        intent["last_payment_error"] = null;
        intent["canceled_at"] = null;
        // The fixture shows an intent waiting for a customer's action; these lifecycles never do.
        intent["next_action"] = null;
        intent["processing"] = null;
        return intent;
    }

    private static JsonObject Succeed(JsonObject intent, SimulatedPayment payment)
    {
        intent["latest_charge"] = payment.ChargeId;
        return intent;
    }

    private static JsonObject Decline(JsonObject intent)
    {
        intent["last_payment_error"] = new JsonObject
        {
            ["type"] = "card_error",
            ["code"] = "card_declined",
            ["decline_code"] = "insufficient_funds",
            ["message"] = "Your card has insufficient funds.",
        };
        return intent;
    }

    private JsonObject Cancel(JsonObject intent)
    {
        intent["canceled_at"] = Now();
        intent["cancellation_reason"] = "abandoned";
        return intent;
    }

    private JsonObject Charge(SimulatedPayment payment, bool refunded)
    {
        var charge = StripeFixtures.Charge();
        charge["id"] = payment.ChargeId;
        charge["amount"] = payment.Amount;
        charge["amount_captured"] = payment.Amount;
        charge["captured"] = true;
        charge["paid"] = true;
        charge["status"] = "succeeded";
        charge["created"] = Now();
        charge["payment_intent"] = payment.PaymentIntentId;
        charge["metadata"] = Metadata(payment);
        charge["refunded"] = refunded;
        charge["amount_refunded"] = refunded ? payment.Amount : 0;
        if (refunded)
        {
            var refund = StripeFixtures.Refund();
            refund["id"] = payment.RefundId;
            refund["amount"] = payment.Amount;
            refund["charge"] = payment.ChargeId;
            refund["payment_intent"] = payment.PaymentIntentId;
            refund["created"] = Now();
            charge["refunds"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(refund),
                ["has_more"] = false,
                ["total_count"] = 1,
                ["url"] = $"/v1/charges/{payment.ChargeId}/refunds",
            };
        }

        return charge;
    }

    private JsonObject CheckoutSession(SimulatedPayment payment)
    {
        var session = StripeFixtures.CheckoutSession();
        session["id"] = payment.CheckoutSessionId;
        session["amount_subtotal"] = payment.Amount;
        session["amount_total"] = payment.Amount;
        session["currency"] = "usd";
        session["created"] = Now();
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["payment_intent"] = payment.PaymentIntentId;
        session["client_reference_id"] = payment.OrderId;
        session["metadata"] = Metadata(payment);
        session["url"] = null;
        return session;
    }

    private static JsonObject Metadata(SimulatedPayment payment) => new() { ["order_id"] = payment.OrderId };

    private long Now() => timeProvider.GetUtcNow().ToUnixTimeSeconds();

    private static void SetPath(JsonObject root, string dottedPath, string value)
    {
        var parts = dottedPath.Split('.');
        var node = root;
        foreach (var part in parts[..^1])
        {
            if (node[part] is not JsonObject child)
            {
                child = new JsonObject();
                node[part] = child;
            }

            node = child;
        }

        node[parts[^1]] = value;
    }
}
