namespace Webhooks.Cli.Simulation;

/// <summary>One order's payment as the gateway knows it: the ids its events share, and the amount.</summary>
internal sealed record SimulatedPayment(
    string OrderId,
    string PaymentIntentId,
    string ChargeId,
    string RefundId,
    string CheckoutSessionId,
    long Amount);
