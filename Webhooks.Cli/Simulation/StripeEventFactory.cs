using System.Text;
using System.Text.Json.Nodes;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// Real-shaped Stripe events: the fixture envelope with a fresh <c>id</c>, the <c>type</c> and
/// <c>created</c> set and <c>data.object</c> replaced by the fixture object of that type, changed only
/// where the event says something (status, amounts, ids, <c>metadata.order_id</c>). Every other field
/// of the fixtures, nulls included, is kept: the receiver and processor must cope with all of it. As
/// in real traffic, only the payment intent and the checkout session carry the order's id: a charge
/// created by a payment intent does not inherit its metadata, and a dispute never has it; both name
/// their <c>payment_intent</c>.
/// </summary>
internal sealed class StripeEventFactory(TimeProvider timeProvider, string? idField)
{
    // How long a customer's bank gives the shop to answer a dispute, roughly.
    private static readonly TimeSpan EvidenceWindow = TimeSpan.FromDays(10);

    public byte[] Build(string eventId, SimulatedStep step, SimulatedPayment payment) => Envelope(eventId, step.Type, ObjectFor(step, payment));

    /// <summary>An event of a type the processor acts on whose <c>data.object</c> is not an object: it cannot be read, so it is dead-lettered.</summary>
    public byte[] Poison(string eventId) =>
        Envelope(eventId, SimulatedSteps.Succeeded.Type, JsonValue.Create("simulated poison: data.object is not an object"));

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

    private JsonObject ObjectFor(SimulatedStep step, SimulatedPayment payment) => step switch
    {
        _ when step == SimulatedSteps.Created => PaymentIntent(payment, "requires_payment_method", received: 0),
        _ when step == SimulatedSteps.Succeeded => Succeed(PaymentIntent(payment, "succeeded", received: payment.Amount), payment),
        _ when step == SimulatedSteps.Failed => Decline(PaymentIntent(payment, "requires_payment_method", received: 0)),
        _ when step == SimulatedSteps.Canceled => Cancel(PaymentIntent(payment, "canceled", received: 0)),
        _ when step == SimulatedSteps.ChargeSucceeded => Charge(payment, refunded: 0),
        _ when step == SimulatedSteps.PartialRefund => Charge(payment, refunded: payment.PartialRefund),
        _ when step == SimulatedSteps.FullRefund => Charge(payment, refunded: payment.Amount),
        _ when step == SimulatedSteps.CheckoutCompleted => CheckoutSession(payment),
        { Type: var type } when type.StartsWith("charge.dispute.", StringComparison.Ordinal) => Dispute(payment, step.Variant),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "The simulator does not build this event."),
    };

    private JsonObject PaymentIntent(SimulatedPayment payment, string status, long received)
    {
        var intent = StripeFixtures.PaymentIntent();
        intent["id"] = payment.PaymentIntentId;
        intent["amount"] = payment.Amount;
        intent["amount_received"] = received;
        intent["currency"] = payment.Currency;
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

    /// <summary>The payment's charge, with <paramref name="refunded"/> of it given back so far.</summary>
    private JsonObject Charge(SimulatedPayment payment, long refunded)
    {
        var charge = StripeFixtures.Charge();
        charge["id"] = payment.ChargeId;
        charge["amount"] = payment.Amount;
        charge["amount_captured"] = payment.Amount;
        charge["currency"] = payment.Currency;
        charge["captured"] = true;
        charge["paid"] = true;
        charge["status"] = "succeeded";
        charge["created"] = Now();
        charge["payment_intent"] = payment.PaymentIntentId;
        charge["refunded"] = refunded >= payment.Amount;
        charge["amount_refunded"] = refunded;
        if (refunded > 0)
        {
            var refund = StripeFixtures.Refund();
            refund["id"] = payment.RefundId;
            refund["amount"] = refunded;
            refund["currency"] = payment.Currency;
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

    /// <summary>The payment's dispute with the gateway's <paramref name="status"/>; no order metadata, as a real one.</summary>
    private JsonObject Dispute(SimulatedPayment payment, string status)
    {
        var dispute = StripeFixtures.Dispute();
        var opened = timeProvider.GetUtcNow();
        dispute["id"] = payment.DisputeId;
        dispute["amount"] = payment.Amount;
        dispute["currency"] = payment.Currency;
        dispute["charge"] = payment.ChargeId;
        dispute["payment_intent"] = payment.PaymentIntentId;
        dispute["created"] = opened.ToUnixTimeSeconds();
        dispute["reason"] = "fraudulent";
        dispute["status"] = status;
        dispute["is_charge_refundable"] = false;
        var evidence = dispute["evidence_details"]!.AsObject();
        evidence["due_by"] = (opened + EvidenceWindow).ToUnixTimeSeconds();
        evidence["has_evidence"] = status is not "needs_response";
        evidence["submission_count"] = status is "needs_response" ? 0 : 1;
        return dispute;
    }

    private JsonObject CheckoutSession(SimulatedPayment payment)
    {
        var session = StripeFixtures.CheckoutSession();
        session["id"] = payment.CheckoutSessionId;
        session["amount_subtotal"] = payment.Amount;
        session["amount_total"] = payment.Amount;
        session["currency"] = payment.Currency;
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
