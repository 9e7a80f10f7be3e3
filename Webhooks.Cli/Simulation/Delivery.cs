namespace Webhooks.Cli.Simulation;

/// <summary>
/// One webhook the gateway sends: an event, or a second copy of one (<see cref="IsDuplicate"/>), with
/// the exact bytes that are signed. A copy has the same body, as a gateway's redelivery has.
/// </summary>
internal sealed record Delivery(string EventId, string Type, string? OrderId, byte[] Body, bool IsDuplicate = false, bool IsPoison = false)
{
    public Delivery Duplicate() => this with { IsDuplicate = true };
}
