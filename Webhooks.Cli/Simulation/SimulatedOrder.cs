namespace Webhooks.Cli.Simulation;

/// <summary>An order of the run: its payment, its lifecycle, and whether the gateway "lost" its success events (<c>--lose</c>).</summary>
internal sealed record SimulatedOrder(SimulatedPayment Payment, Lifecycle Lifecycle, bool Lost)
{
    public string OrderId => Payment.OrderId;

    /// <summary>Where the processor must leave it: pending when its success never arrived, else where its lifecycle ends.</summary>
    public string ExpectedStatus => Lost ? "pending" : Lifecycle.ExpectedStatus;
}
