namespace Webhooks.Processor.Orders;

/// <summary>
/// An order's dispute as the contract names it: <c>open</c> until the gateway closes it, then <c>won</c>
/// (the money stays with the shop) or <c>lost</c> (it went back to the customer). A closed dispute is
/// never reopened: see <see cref="DisputeReader"/> for how the gateway's statuses rank.
/// </summary>
public enum DisputeStatus
{
    Open = 0,
    Won = 1,
    Lost = 2,
}
