namespace Webhooks.Infrastructure.Orders;

/// <summary>What the gateway said about a payment intent when it was last asked (<c>gateway_payment_intents</c>), or why it could not say.</summary>
public sealed record GatewayAnswer
{
    public string PaymentIntentId { get; init; } = "";

    public string OrderId { get; init; } = "";

    /// <summary>The gateway's status of the payment intent (<c>requires_payment_method</c>, <c>succeeded</c>, ...); null when the ask failed.</summary>
    public string? Status { get; init; }

    public DateTime CheckedAt { get; init; }

    /// <summary>Why the last ask failed, in one sentence; null when it was answered.</summary>
    public string? Failure { get; init; }

    public DateTimeOffset CheckedAtUtc => new(DateTime.SpecifyKind(CheckedAt, DateTimeKind.Utc));
}
