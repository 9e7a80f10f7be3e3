namespace Webhooks.Cli.Simulation;

/// <summary>
/// Everything a run will send, decided before the first request: the orders, and the deliveries as
/// sequences that one sender each takes in order (one order's events, or one poison event).
/// </summary>
internal sealed record SimulationPlan(
    int Seed,
    IReadOnlyList<SimulatedOrder> Orders,
    IReadOnlyList<IReadOnlyList<Delivery>> Sequences,
    int LostEvents)
{
    public IEnumerable<Delivery> Deliveries => Sequences.SelectMany(s => s);

    /// <summary>Distinct events, each counted once however often it is sent.</summary>
    public int Events => Deliveries.Count(d => !d.IsDuplicate);

    public int DuplicatesSent => Deliveries.Count(d => d.IsDuplicate);

    public IReadOnlyList<string> PoisonEventIds => [.. Deliveries.Where(d => d.IsPoison && !d.IsDuplicate).Select(d => d.EventId)];
}
