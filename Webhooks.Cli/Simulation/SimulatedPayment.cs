namespace Webhooks.Cli.Simulation;

/// <summary>
/// One order's payment as the gateway knows it: the ids its events share, and the amount in the
/// currency's minor unit (cents; yen for JPY), as the gateway writes amounts.
/// </summary>
internal sealed record SimulatedPayment(
    string OrderId,
    string PaymentIntentId,
    string ChargeId,
    string RefundId,
    string CheckoutSessionId,
    string DisputeId,
    long Amount,
    string Currency)
{
    /// <summary>What a partial refund gives back: two fifths, in whole minor units.</summary>
    public long PartialRefund => Amount * 2 / 5;
}
