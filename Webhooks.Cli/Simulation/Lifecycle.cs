using static Webhooks.Cli.Simulation.SimulatedSteps;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// One order's story as the gateway tells it: the events it sends, and the status the processor must
/// end in whatever order they arrive (statuses only move up: pending &lt; payment_failed &lt; canceled
/// &lt; paid &lt; partially_refunded &lt; refunded). The weights are a shop's ordinary day: most payments
/// simply succeed.
/// </summary>
internal sealed record Lifecycle(string Name, IReadOnlyList<SimulatedStep> Steps, string ExpectedStatus, int Weight)
{
    public static Lifecycle CardPayment { get; } = new("created → succeeded", [Created, Succeeded, ChargeSucceeded], "paid", 50);

    /// <summary>A Checkout payment: Stripe sends the session's completion besides the payment's events.</summary>
    public static Lifecycle Checkout { get; } =
        new("checkout: created → succeeded → completed", [Created, Succeeded, ChargeSucceeded, CheckoutCompleted], "paid", 15);

    public static Lifecycle DeclinedThenPaid { get; } = new("created → failed → succeeded", [Created, Failed, Succeeded, ChargeSucceeded], "paid", 10);

    public static Lifecycle Declined { get; } = new("created → failed", [Created, Failed], "payment_failed", 5);

    public static Lifecycle Refunded { get; } = new("created → succeeded → refunded", [Created, Succeeded, ChargeSucceeded, FullRefund], "refunded", 10);

    public static Lifecycle PartiallyRefunded { get; } =
        new("created → succeeded → partially refunded", [Created, Succeeded, ChargeSucceeded, PartialRefund], "partially_refunded", 5);

    /// <summary>A partial refund, then the rest: whichever arrives last, the order ends refunded.</summary>
    public static Lifecycle RefundedInTwoParts { get; } =
        new("created → succeeded → partially refunded → refunded", [Created, Succeeded, ChargeSucceeded, PartialRefund, FullRefund], "refunded", 5);

    public static Lifecycle Canceled { get; } = new("created → canceled", [Created, SimulatedSteps.Canceled], "canceled", 10);

    public static IReadOnlyList<Lifecycle> All { get; } =
        [CardPayment, Checkout, DeclinedThenPaid, Declined, Refunded, PartiallyRefunded, RefundedInTwoParts, Canceled];

    /// <summary>
    /// The lifecycles a lost webhook leaves pending: a payment whose success events never arrive
    /// (with a failure or a refund in between, the order would not be pending, and not stuck).
    /// </summary>
    public static IReadOnlyList<Lifecycle> Losable { get; } = [CardPayment, Checkout];

    public IReadOnlyList<string> Types => [.. Steps.Select(s => s.Type)];

    /// <summary>A paid order is what a customer disputes (<c>--disputes</c>).</summary>
    public bool Disputable => ExpectedStatus == "paid";

    /// <summary>What the order's amount refunded must end at, in minor units.</summary>
    public long AmountRefunded(SimulatedPayment payment) =>
        Steps.Contains(FullRefund) ? payment.Amount : Steps.Contains(PartialRefund) ? payment.PartialRefund : 0;

    public static Lifecycle Pick(IReadOnlyList<Lifecycle> lifecycles, Random random)
    {
        var roll = random.Next(lifecycles.Sum(l => l.Weight));
        foreach (var lifecycle in lifecycles)
        {
            roll -= lifecycle.Weight;
            if (roll < 0)
            {
                return lifecycle;
            }
        }

        return lifecycles[^1];
    }
}
