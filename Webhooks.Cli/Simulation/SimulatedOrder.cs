namespace Webhooks.Cli.Simulation;

/// <summary>
/// An order of the run: its payment, its lifecycle, whether the gateway "lost" its success events
/// (<c>--lose</c>), and the dispute its customer opened, if any (<c>--disputes</c>).
/// </summary>
internal sealed record SimulatedOrder(SimulatedPayment Payment, Lifecycle Lifecycle, bool Lost, DisputeStory? Dispute = null)
{
    public string OrderId => Payment.OrderId;

    /// <summary>Where the processor must leave it: pending when its success never arrived, else where its lifecycle ends.</summary>
    public string ExpectedStatus => Lost ? "pending" : Lifecycle.ExpectedStatus;

    /// <summary>The order's dispute at the end: null (none), open, won or lost.</summary>
    public string? ExpectedDispute => Dispute?.Outcome;

    public long ExpectedAmountRefunded => Lost ? 0 : Lifecycle.AmountRefunded(Payment);
}
