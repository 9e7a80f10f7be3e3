namespace Webhooks.Cli.Simulation;

/// <summary>Every event the simulator sends, as the steps of lifecycles and dispute stories.</summary>
internal static class SimulatedSteps
{
    public const string Partial = "partial";
    public const string Full = "full";

    public static SimulatedStep Created { get; } = new("payment_intent.created");

    public static SimulatedStep Succeeded { get; } = new("payment_intent.succeeded");

    public static SimulatedStep Failed { get; } = new("payment_intent.payment_failed");

    public static SimulatedStep Canceled { get; } = new("payment_intent.canceled");

    public static SimulatedStep ChargeSucceeded { get; } = new("charge.succeeded");

    /// <summary>Part of the charge refunded (<c>amount_refunded</c> &lt; <c>amount</c>).</summary>
    public static SimulatedStep PartialRefund { get; } = new("charge.refunded", Partial);

    /// <summary>All of the charge refunded, at once or after a partial refund.</summary>
    public static SimulatedStep FullRefund { get; } = new("charge.refunded", Full);

    public static SimulatedStep CheckoutCompleted { get; } = new("checkout.session.completed");

    public static SimulatedStep DisputeCreated { get; } = new("charge.dispute.created", "needs_response");

    public static SimulatedStep DisputeFundsWithdrawn { get; } = new("charge.dispute.funds_withdrawn", "needs_response");

    /// <summary>The shop submitted evidence.</summary>
    public static SimulatedStep DisputeUnderReview { get; } = new("charge.dispute.updated", "under_review");

    public static SimulatedStep DisputeWon { get; } = new("charge.dispute.closed", "won");

    public static SimulatedStep DisputeLost { get; } = new("charge.dispute.closed", "lost");

    public static SimulatedStep DisputeFundsReinstated { get; } = new("charge.dispute.funds_reinstated", "won");

    /// <summary>The types whose loss leaves an order pending: the ones that say the money is there.</summary>
    public static IReadOnlySet<string> SuccessTypes { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Succeeded.Type, ChargeSucceeded.Type, CheckoutCompleted.Type };
}
