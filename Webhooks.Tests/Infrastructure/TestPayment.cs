using System.Text.Json.Nodes;
using Webhooks.Contracts;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// One order's payment as the gateway tells it, built from Stripe's fixtures as real traffic is: the
/// payment intent carries the order id in its metadata (and so links itself to the order); its charges
/// and disputes carry no order metadata and name the payment intent. Amounts are integers in the
/// currency's minor unit.
/// </summary>
public sealed record TestPayment(string OrderId, string PaymentIntentId, string ChargeId, string DisputeId, long Amount, string Currency)
{
    /// <summary>2024-06-01 00:00 UTC: when the gateway made these events, unless a test says otherwise.</summary>
    public static readonly DateTimeOffset Made = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static TestPayment New(long amount = 2000, string currency = "usd")
    {
        var id = Guid.NewGuid().ToString("N");
        return new TestPayment($"order_test_{id}", $"pi_test_{id}", $"ch_test_{id}", $"du_test_{id}", amount, currency);
    }

    /// <summary>A <c>payment_intent.*</c> event: it names the order (metadata) and so links the payment intent to it.</summary>
    public PaymentEventReceived Intent(string type, DateTimeOffset? made = null, DateTimeOffset? receivedAt = null) =>
        Build(type, made, receivedAt, intent =>
        {
            intent["id"] = PaymentIntentId;
            intent["amount"] = Amount;
            intent["currency"] = Currency;
            intent["metadata"] = new JsonObject { ["order_id"] = OrderId };
        });

    /// <summary>A <c>charge.*</c> event of the payment's charge with <paramref name="refunded"/> of it refunded so far, and no order metadata.</summary>
    public PaymentEventReceived Charge(string type, long refunded = 0, DateTimeOffset? made = null, DateTimeOffset? receivedAt = null) =>
        Build(type, made, receivedAt, charge =>
        {
            charge["id"] = ChargeId;
            charge["amount"] = Amount;
            charge["currency"] = Currency;
            charge["amount_refunded"] = refunded;
            charge["refunded"] = refunded >= Amount;
            charge["payment_intent"] = PaymentIntentId;
            charge["metadata"] = new JsonObject();
        });

    /// <summary>
    /// A <c>charge.dispute.*</c> event of the payment's dispute with the gateway's <paramref name="status"/>, opened at
    /// <see cref="Made"/> with its evidence due ten days later unless <paramref name="dueBy"/> says otherwise.
    /// </summary>
    public PaymentEventReceived Dispute(
        string type,
        string status,
        DateTimeOffset? dueBy = null,
        string reason = "fraudulent",
        DateTimeOffset? made = null,
        DateTimeOffset? receivedAt = null) =>
        Build(type, made, receivedAt, dispute =>
        {
            dispute["id"] = DisputeId;
            dispute["amount"] = Amount;
            dispute["currency"] = Currency;
            dispute["charge"] = ChargeId;
            dispute["payment_intent"] = PaymentIntentId;
            dispute["status"] = status;
            dispute["reason"] = reason;
            // The dispute's own creation and deadline are the same in each of its events.
            dispute["created"] = Made.ToUnixTimeSeconds();
            dispute["evidence_details"]!["due_by"] = (dueBy ?? Made.AddDays(10)).ToUnixTimeSeconds();
        });

    private static PaymentEventReceived Build(string type, DateTimeOffset? made, DateTimeOffset? receivedAt, Action<JsonObject> edit)
    {
        var message = TestPayments.Event(type, orderId: null, receivedAt, edit: edit);
        var envelope = JsonNode.Parse(message.Payload)!.AsObject();
        envelope["created"] = (made ?? Made).ToUnixTimeSeconds();
        return message with { Payload = envelope.ToJsonString() };
    }
}
